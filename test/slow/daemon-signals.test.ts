import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import type { CliProcess } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks, waitForFirstTask } from '../helpers/task-repo.js';

/** True while `pid` runs; a zombie (dead, not yet reaped by a PID 1 that does not reap) is not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function grandchildPid(file: string, daemon: CliProcess): Promise<number> {
  return waitFor(
    async () => Number(await readFile(file, 'utf8').catch(() => '')) || 0,
    30_000,
    () => `the grandchild pid; daemon output:\n${daemon.output()}`,
  );
}

const ORIGINAL = '# Tasks\n\n[] Hang around with a grandchild\n\nA line after.\n';

describe('shutdown and recovery', () => {
  it('SIGTERM mid-run: exits 0 within 10 s, puts the task back to [], leaves no agent process', async () => {
    const pidFile = join(await tempDir(), 'grandchild.pid');
    const repo = await makeTaskRepo(ORIGINAL, { agent: fakeAgent('grandchild') });
    const daemon = startCli(['start'], { cwd: repo, env: { ADW_FAKE_PID_FILE: pidFile } });
    const grandchild = await grandchildPid(pidFile, daemon);
    expect(markers(await readTasks(repo))[0]?.emoji).toBe('🟡');

    const sent = Date.now();
    daemon.child.kill('SIGTERM');
    const result = await daemon.done;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(result.code, daemon.output()).toBe(0);
    expect(await readTasks(repo)).toBe(ORIGINAL);
    expect(alive(grandchild)).toBe(false);
  });

  it('kill -9 mid-run, then start again: the orphaned agent is stopped and the task fails as interrupted', async () => {
    const pidFile = join(await tempDir(), 'grandchild.pid');
    const repo = await makeTaskRepo(ORIGINAL, { agent: fakeAgent('grandchild') });
    const daemon = startCli(['start'], { cwd: repo, env: { ADW_FAKE_PID_FILE: pidFile } });
    const grandchild = await grandchildPid(pidFile, daemon);
    daemon.child.kill('SIGKILL');
    await daemon.done;
    expect(alive(grandchild)).toBe(true);

    const again = await runCli(['start', '--once'], { cwd: repo });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await readTasks(repo)).toMatch(
      /^# Tasks\n\n\[❌, [0-9a-f]{8}\] Hang around with a grandchild \/\/ Failed: interrupted \(daemon stopped\)\n\nA line after\.\n$/,
    );
    await waitFor(() => !alive(grandchild), 10_000, 'the orphaned grandchild to be stopped');
  });

  it('an editor saving the pre-claim copy does not start the task twice, and the marker comes back', async () => {
    const log = join(await tempDir(), 'starts.log');
    const repo = await makeTaskRepo(ORIGINAL, { agent: fakeAgent('log-commit') });
    const daemon = startCli(['start'], {
      cwd: repo,
      env: { ADW_FAKE_LOG: log, ADW_FAKE_SLEEP_MS: '3000' },
    });
    await waitFor(
      async () => (await readFile(log, 'utf8').catch(() => '')).length > 0,
      20_000,
      'the agent to start',
    );
    const claimed = await readTasks(repo);
    const id = markers(claimed)[0]!.id!;

    await writeFile(join(repo, 'tasks.md'), ORIGINAL);
    await waitFor(
      async () => (await readTasks(repo)) === claimed,
      10_000,
      'the 🟡 marker to come back',
    );
    await waitForFirstTask(repo);
    daemon.child.kill('SIGTERM');
    await daemon.done;
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([id]);
    expect(markers(await readTasks(repo))[0]?.id).toBe(id);
  });
});
