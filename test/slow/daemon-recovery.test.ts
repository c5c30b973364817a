import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { writeRecordIn } from '../helpers/run-records.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

async function starts(log: string): Promise<string[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  return text.trim() === '' ? [] : text.trim().split('\n');
}

describe('recovery works from the run records', () => {
  it('a run recorded done whose ✅ never reached the file gets ✅, not interrupted', async () => {
    const repo = await makeTaskRepo('# Tasks\n\n[🟡, 1a2b3c4d] Finished before the crash\n', {
      agent: fakeAgent('log-commit'),
    });
    const head = await git(repo, 'rev-parse', 'HEAD');
    await writeRecordIn(repo, {
      id: '1a2b3c4d',
      status: 'done',
      commit: head,
      claimLine: 3,
      claimText: '[] Finished before the crash',
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(await readTasks(repo)).toBe(
      `# Tasks\n\n[✅ ${head.slice(0, 9)}, 1a2b3c4d] Finished before the crash\n`,
    );
  });

  it('a claim whose agent never started goes back to [] and then runs once', async () => {
    const log = join(await tempDir(), 'starts.log');
    const repo = await makeTaskRepo('# Tasks\n\n[🟡, 0badc0de] Claimed, never started\n', {
      agent: fakeAgent('log-commit'),
    });
    await writeRecordIn(repo, {
      id: '0badc0de',
      status: 'claimed',
      claimLine: 3,
      claimText: '[] Claimed, never started',
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env: { ADW_FAKE_LOG: log } });
    expect(result.code, result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');
    expect(task?.id).not.toBe('0badc0de');
    expect(await starts(log)).toEqual([task?.id]);
  });

  it('an orphaned agent whose line a stale save reset to [] is stopped and the task not run again', async () => {
    const log = join(await tempDir(), 'starts.log');
    const repo = await makeTaskRepo('# Tasks\n\n[] Agent outlived its daemon\n', {
      agent: fakeAgent('log-commit'),
    });
    const agent = spawn(process.execPath, [fakeAgent('hang')], { detached: true, stdio: 'ignore' });
    const agentPid = agent.pid ?? 0;
    const exited = new Promise((resolve) => agent.on('exit', resolve));
    await writeRecordIn(repo, {
      id: 'feedf00d',
      status: 'running',
      agentPid,
      claimLine: 3,
      claimText: '[] Agent outlived its daemon',
    });
    const result = await runCli(['start', '--once'], { cwd: repo, env: { ADW_FAKE_LOG: log } });
    expect(result.code, result.stderr).toBe(0);
    await exited;
    expect(await readTasks(repo)).toBe(
      '# Tasks\n\n[❌, feedf00d] Agent outlived its daemon // Failed: interrupted (daemon stopped)\n',
    );
    expect(await starts(log)).toEqual([]);
  });

  it('with concurrency 1, kill -9 interrupts the one running task; the queued ones run after', async () => {
    const tasks = Array.from({ length: 4 }, (_, i) => `[] Queued task ${i + 1}\n`).join('');
    const repo = await makeTaskRepo(`# Tasks\n\n${tasks}`, {
      agent: fakeAgent('hang'),
      config: { concurrency: 1 },
    });
    const daemon = startCli(['start'], { cwd: repo });
    await waitFor(
      async () => {
        const first = markers(await readTasks(repo))[0];
        if (first?.id == null) return false;
        const record = await readFile(join(repo, '.adw', 'runs', first.id, 'run.json'), 'utf8');
        return (JSON.parse(record) as { agentPid: number | null }).agentPid !== null;
      },
      60_000,
      'the first agent to start',
    );
    expect(markers(await readTasks(repo)).map((task) => task.emoji)).toEqual(['🟡', '', '', '']);
    daemon.child.kill('SIGKILL');
    await daemon.done;
    const config = { agent: 'command', command: [process.execPath, fakeAgent('log-commit')] };
    await writeFile(join(repo, 'adw-trigger.json'), JSON.stringify({ ...config, concurrency: 1 }));
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(markers(await readTasks(repo)).map((task) => task.emoji)).toEqual([
      '❌',
      '✅',
      '✅',
      '✅',
    ]);
  });
});
