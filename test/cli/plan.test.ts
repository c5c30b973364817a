import { describe, expect, it } from 'vitest';
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

  it('shows the hooks and linked directories that run around each task', async () => {
    const repo = await makeTaskRepo('[] One\n', {
      agent: fakeAgent('commit'),
      config: {
        hooks: { afterCreate: 'npm ci', beforeRemove: 'docker compose down' },
        hooksTimeout: '2m',
        linkDirs: ['vendor'],
      },
    });
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      'Hooks (sh -c in each worktree, 2m each):\n  afterCreate: npm ci\n  beforeRemove: docker compose down\n  linked from the main checkout: vendor\n',
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
