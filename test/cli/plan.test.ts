import { describe, expect, it } from 'vitest';
import { CONFLICTED_TASKS } from '../fixtures/conflicted-tasks.js';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, readTasks } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

const TASKS = `# Tasks

## Git Worktree build
[] First pending
[] Second pending
[⏰] Blocked behind both
[] Pending below the blocked one
[⏰] Blocked behind everything above

## Git Worktree stuck
[❌, 0c1d2e3f] Broke // Failed: agent exited with code 1
[⏰] Behind the failure
`;

describe('adw-trigger plan', () => {
  it('prints waves: runnable now first, then what each wave unblocks; tasks behind a failure are not planned', async () => {
    const repo = await makeTaskRepo(TASKS, {
      agent: fakeAgent('commit'),
      config: { concurrency: 2 },
    });
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Wave 1 \(starts now, 2 at a time\):\n {2}line 4 +build .*First pending\n {2}line 5 +build .*Second pending\n {2}line 7 +build .*Pending below the blocked one\nWave 2 \(after wave 1 succeeds\):\n {2}line 6 +build .*Blocked behind both\nWave 3 \(after wave 2 succeeds\):\n {2}line 8 +build .*Blocked behind everything above\nNot planned:\n/,
    );
    expect(result.stdout).toMatch(/^ {2}line 11 +stuck .*Broke: failed/m);
    expect(result.stdout).toMatch(
      /^ {2}line 12 +stuck .*Behind the failure: waits for line 11, which will not be done$/m,
    );
  });

  it('--json gives the waves and the not-planned lines', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const result = await runCli(['plan', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      waves: [[4, 5, 7], [6], [8]],
      notPlanned: [11, 12],
    });
  });

  it('runs and writes nothing: the file is byte-identical and no branch or worktree is created', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const branches = await git(repo, 'branch', '--list');
    const before = await snapshotDir(repo);
    expect((await runCli(['plan'], { cwd: repo })).code).toBe(0);
    expect((await runCli(['plan', '--json'], { cwd: repo })).code).toBe(0);
    expect(await readTasks(repo)).toBe(TASKS);
    expect(await git(repo, 'branch', '--list')).toBe(branches);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('says nothing would start when no task is runnable', async () => {
    const repo = await makeTaskRepo('[✅, 11111111] Done already\n', {
      agent: fakeAgent('commit'),
    });
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Nothing would start now.\n');
  });
});

describe('a task file in conflict', () => {
  const CONFLICTED = CONFLICTED_TASKS;

  it('check exits 1 with a merge-conflict error per marker; plan starts nothing', async () => {
    const repo = await makeTaskRepo(CONFLICTED, { agent: fakeAgent('commit') });
    const check = await runCli(['check'], { cwd: repo });
    expect(check.code).toBe(1);
    const conflicts = check.stdout.split('\n').filter((line) => line.includes('merge-conflict'));
    expect(conflicts.map((line) => line.split(' ')[0])).toEqual([
      'tasks.md:3:1',
      'tasks.md:5:1',
      'tasks.md:7:1',
    ]);
    const plan = await runCli(['plan'], { cwd: repo });
    expect(plan.stdout).toMatch(/^Nothing would start now\.$/m);
    expect(plan.stdout).toMatch(/Third: has an error/);
    expect(await readTasks(repo)).toBe(CONFLICTED);
  });
});
