import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import type { CliProcess } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';

const running: CliProcess[] = [];

afterEach(async () => {
  for (const daemon of running.splice(0)) {
    daemon.child.kill('SIGTERM');
    await daemon.done;
  }
});

function startDaemon(repo: string, env: Record<string, string> = {}): CliProcess {
  const daemon = startCli(['start'], { cwd: repo, env });
  running.push(daemon);
  return daemon;
}

async function runRecord(repo: string, id: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(join(repo, '.adw', 'runs', id, 'run.json'), 'utf8')) as Record<
      string,
      unknown
    >;
  } catch {
    return null;
  }
}

// The ID of the first task once its agent runs (its record names the agent's pid).
async function firstAgentStarted(repo: string): Promise<string> {
  return waitFor(
    async () => {
      const first = markers(await readTasks(repo))[0];
      const record = first?.id ? await runRecord(repo, first.id) : null;
      return typeof record?.agentPid === 'number' ? first?.id : null;
    },
    60_000,
    'the agent to start',
  );
}

async function allShow(repo: string, emoji: string, count: number): Promise<boolean> {
  const found = markers(await readTasks(repo));
  return found.length === count && found.every((task) => task.emoji === emoji);
}

describe('the run records own the markers', () => {
  it('a finished task whose line goes back to [] (git checkout) gets ✅ back and never runs again', async () => {
    const log = join(await tempDir(), 'starts.log');
    const repo = await makeTaskRepo('# Tasks\n\n[] First task\n[] Second task\n', {
      agent: fakeAgent('log-commit'),
    });
    await git(repo, 'add', 'tasks.md');
    await git(repo, 'commit', '-q', '-m', 'tasks');
    const daemon = startDaemon(repo, { ADW_FAKE_LOG: log });
    await waitFor(() => allShow(repo, '✅', 2), 60_000, 'both tasks done');
    const done = markers(await readTasks(repo));
    await git(repo, 'checkout', '--', 'tasks.md');
    expect(markers(await readTasks(repo)).map((task) => task.emoji)).toEqual(['', '']);
    await waitFor(() => allShow(repo, '✅', 2), 60_000, 'the ✅ markers to come back');
    expect(markers(await readTasks(repo))).toEqual(done);
    expect((await readFile(log, 'utf8')).trim().split('\n').sort()).toEqual(
      done.map((task) => task.id).sort(),
    );
    // The log line follows the write of the file: wait for it rather than race it.
    await waitFor(
      () => /marker put back from run/.test(daemon.output()),
      60_000,
      'the restore to be logged',
    );
    expect(daemon.output()).toMatch(/retry [0-9a-f]{8} --done/);
  });

  it('an agent that writes ✅ over its own 🟡 gets the real outcome', async () => {
    const repo = await makeTaskRepo('# Tasks\n\n[] Forge my own success\n', {
      agent: fakeAgent('forge-done'),
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stderr).toBe(3);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('❌');
    expect(task?.rest).toMatch(/Failed: agent made no changes/);
  });

  it('deleting the line of a running task cancels it: agent stopped, nothing merged, branch kept', async () => {
    const repo = await makeTaskRepo('# Tasks\n\n[] Runs until cancelled\n[] Stays pending\n', {
      agent: fakeAgent('hang'),
      config: { concurrency: 1 },
    });
    const base = await git(repo, 'rev-parse', 'HEAD');
    startDaemon(repo);
    const id = await firstAgentStarted(repo);
    const agentPid = (await runRecord(repo, id))?.agentPid as number;
    await writeFile(join(repo, 'tasks.md'), '# Tasks\n\n[] Stays pending\n');
    await waitFor(
      async () => (await runRecord(repo, id))?.status === 'cancelled',
      60_000,
      'cancelled',
    );
    expect(() => process.kill(agentPid, 0)).toThrow();
    expect(await git(repo, 'rev-parse', 'adw')).toBe(base);
    expect(await git(repo, 'branch', '--list', `adw-${id}`)).toContain(`adw-${id}`);
  });

  it('`cancel ID` stops a running task and the line reads ❌ cancelled', async () => {
    const repo = await makeTaskRepo('# Tasks\n\n[] Runs until cancelled\n', {
      agent: fakeAgent('hang'),
    });
    startDaemon(repo);
    const id = await firstAgentStarted(repo);
    const cancel = await runCli(['cancel', id], { cwd: repo });
    expect(cancel.code, cancel.stderr).toBe(0);
    await waitFor(
      async () => (await runRecord(repo, id))?.status === 'cancelled',
      60_000,
      'cancelled',
    );
    expect(await readTasks(repo)).toBe(
      `# Tasks\n\n[❌, ${id}] Runs until cancelled // Failed: cancelled\n`,
    );
    const again = await runCli(['cancel', id], { cwd: repo });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is failed, not in progress/);
  });

  it('a file in merge conflict is not claimed from; the claim waits until it is resolved', async () => {
    const conflicted = '# Tasks\n\n<<<<<<< HEAD\n[] Ours\n=======\n[] Theirs\n>>>>>>> other\n';
    const repo = await makeTaskRepo(conflicted, { agent: fakeAgent('log-commit') });
    const daemon = startDaemon(repo);
    await waitFor(() => daemon.output().includes('merge conflict'), 60_000, 'the conflict report');
    expect(await readTasks(repo)).toBe(conflicted);
    await writeFile(join(repo, 'tasks.md'), '# Tasks\n\n[] Ours\n');
    await waitFor(() => allShow(repo, '✅', 1), 60_000, 'the resolved task to run');
  });

  it('a clean run logs no warning (no double write of an outcome)', async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => `[] Clean task ${i + 1}\n`).join('');
    const repo = await makeTaskRepo(`# Tasks\n\n${tasks}`, {
      agent: fakeAgent('log-commit'),
      config: { concurrency: 3 },
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(await allShow(repo, '✅', 6)).toBe(true);
    const levels = (result.stdout + result.stderr)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(levels.filter((entry) => entry.level >= 40)).toEqual([]);
  });
});
