import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { makeTaskRepo, markers, readTasks, waitForDaemonRecord } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

const TASKS = `# Tasks

Prose   with  odd spacing stays.

## Git Worktree alpha
- [✅ 9f8e7d6c1, 5e6f7a8b] Done before
- [❌, 0c1d2e3f] Broke once #haiku // Failed: agent exited with code 1
  a details line that stays
- [⏰] Waits for the failed one
`;

describe('adw-trigger retry ID', () => {
  it('puts a failed task back to [] with the Failed note dropped and every other byte identical', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const result = await runCli(['retry', '0c1d2e3f'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('tasks.md:7: task 0c1d2e3f is pending again\n');
    expect(await readTasks(repo)).toBe(
      TASKS.replace(
        '- [❌, 0c1d2e3f] Broke once #haiku // Failed: agent exited with code 1',
        '- [] Broke once #haiku',
      ),
    );
    // The lock beside the file is gone again.
    expect((await readdir(repo)).sort()).toEqual([
      '.git',
      'README.md',
      'adw-trigger.json',
      'tasks.md',
    ]);
  });

  it('keeps CRLF line endings and a BOM', async () => {
    const crlf = '\uFEFF# Tasks\r\n\r\n[❌, 0c1d2e3f] Broke // Failed: timed out\r\n[] Next\r\n';
    const repo = await makeTaskRepo(crlf, { agent: fakeAgent('commit') });
    const result = await runCli(['retry', '0c1d2e3f'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const raw = await readFile(join(repo, 'tasks.md'));
    expect(raw.equals(Buffer.from('\uFEFF# Tasks\r\n\r\n[] Broke\r\n[] Next\r\n'))).toBe(true);
  });

  it('refuses an unknown ID: exit 1, the message names it, nothing changes', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['retry', 'deadbeef'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('adw-trigger: tasks.md: no task has the ID deadbeef\n');
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('refuses a done task: exit 1, says it is not failed, nothing changes', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['retry', '5e6f7a8b'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^adw-trigger: tasks\.md:6: task 5e6f7a8b is done, not failed/);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('refuses without an ID: exit 2, names the missing argument, nothing changes', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['retry'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing required argument 'id'/);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('works while a daemon is running, and the daemon then runs the task', async () => {
    const original =
      '## Git Worktree again\n[❌, 0c1d2e3f] Try me again // Failed: agent exited with code 1\n';
    const repo = await makeTaskRepo(original, { agent: fakeAgent('commit') });
    const daemon = startCli(['start'], { cwd: repo });
    try {
      await waitForDaemonRecord(repo);
      // Idle: the failed task is not touched by the daemon on its own.
      expect(await readTasks(repo)).toBe(original);
      const result = await runCli(['retry', '0c1d2e3f'], { cwd: repo });
      expect(result.code, result.stderr).toBe(0);
      const done = await waitFor(
        async () => markers(await readTasks(repo)).find((t) => t.emoji === '✅'),
        20_000,
        'the retried task to be done',
      );
      expect(done.rest).toBe('Try me again');
      expect(await readTasks(repo)).toMatch(
        /^## Git Worktree again\n\[✅ [0-9a-f]{9}, [0-9a-f]{8}\] Try me again\n$/,
      );
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.done;
    }
  });
});

describe('adw-trigger retry refusals on files it must not touch', () => {
  it('refuses an ID used on two lines: exit 1, names both lines, nothing changes', async () => {
    const repo = await makeTaskRepo(
      '[❌, 0c1d2e3f] One // Failed: x\n[❌, 0c1d2e3f] Two // Failed: y\n',
      { agent: fakeAgent('commit') },
    );
    const before = await snapshotDir(repo);
    const result = await runCli(['retry', '0c1d2e3f'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'adw-trigger: tasks.md: ID 0c1d2e3f is used on lines 1 and 2; give one of them another ID first\n',
    );
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('refuses a file that is not UTF-8: exit 1, names the line, the bytes stay', async () => {
    const repo = await makeTaskRepo('', { agent: fakeAgent('commit') });
    const bytes = Buffer.concat([
      Buffer.from('[❌, 0c1d2e3f] Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' // Failed: x\n'),
    ]);
    await writeFile(join(repo, 'tasks.md'), bytes);
    const before = await snapshotDir(repo);
    const result = await runCli(['retry', '0c1d2e3f'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/tasks\.md:1:\d+ error invalid-utf8 Not valid UTF-8/);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('a second retry of the same ID says the task is already pending again', async () => {
    const repo = await makeTaskRepo('[] Broke by a failing agent\n', { agent: fakeAgent('fail') });
    expect((await runCli(['start', '--once'], { cwd: repo })).code).toBe(3);
    const id = markers(await readTasks(repo))[0]?.id ?? '';
    expect((await runCli(['retry', id], { cwd: repo })).code).toBe(0);
    const before = await readTasks(repo);
    const again = await runCli(['retry', id], { cwd: repo });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      `adw-trigger: tasks.md:1: task ${id} is already pending again (retried before)\n`,
    );
    expect(await readTasks(repo)).toBe(before);
  });
});
