import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

// The dependency fields of a plan task with no name, no after: and nothing to wait on.
const UNNAMED = { name: null, after: [], blockedBy: null, blockedReason: null };

describe('adw-trigger plan', () => {
  it('prints waves: runnable now first, then what each wave unblocks; tasks behind a failure are not planned', async () => {
    const repo = await makeTaskRepo(TASKS, {
      agent: fakeAgent('commit'),
      config: { concurrency: 2 },
    });
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^Wave 1 \(starts now, 2 at a time\):\n {2}line 4 +build .*First pending\n {2}line 5 +build .*Second pending\n {2}line 7 +build .*Pending below the blocked one\nWave 2 \(after wave 1 succeeds\):\n {2}line 6 +build .*Blocked behind both {2}\(waits on line 4: above it in section build, \[\] pending\)\nWave 3 \(after wave 2 succeeds\):\n {2}line 8 +build .*Blocked behind everything above {2}\(waits on line 4: .*\)\nNot planned:\n/,
    );
    expect(result.stdout).toMatch(/^ {2}line 11 +stuck .*Broke: failed/m);
    expect(result.stdout).toMatch(
      /^ {2}line 12 +stuck .*Behind the failure: waits on line 11 \(above it in section stuck, ❌ failed\), which will not be done$/m,
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
    const plan = JSON.parse(result.stdout) as { tasks: unknown[] };
    expect(plan).toMatchObject({ waves: [[4, 5, 7], [6], [8]], notPlanned: [11, 12] });
    expect(plan.tasks).toHaveLength(5);
  });

  it('names the model that runs: the workflow model for an untagged task, the tag otherwise', async () => {
    const workflow = '---\nname: fancy\ntags: [fancy]\nmodel: haiku\n---\n## go\n{{task}}\n';
    const repo = await makeTaskRepo('[] Plain #fancy\n[] Tagged #fancy #opus\n', {
      agent: fakeAgent('commit'),
      config: { agent: 'claude', claudeBin: fakeAgent('commit') },
      files: { '.adw/workflows/fancy.md': workflow },
    });
    const plan = await runCli(['plan', '--json'], { cwd: repo });
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { tasks: unknown[] }).tasks).toEqual([
      { ...UNNAMED, line: 1, section: 'adw', workflow: 'fancy', model: 'haiku' },
      { ...UNNAMED, line: 2, section: 'adw', workflow: 'fancy', model: 'opus' },
    ]);
    const status = await runCli(['status', '--json'], { cwd: repo });
    const report = JSON.parse(status.stdout) as { tasks: { model: string | null }[] };
    expect(report.tasks.map((task) => task.model)).toEqual(['haiku', 'opus']);
  });

  it('refuses what start refuses: a tasks.md that is not UTF-8, a missing agent', async () => {
    const repo = await makeTaskRepo('[] ok\n', { agent: fakeAgent('commit') });
    await writeFile(join(repo, 'tasks.md'), Buffer.from([0x5b, 0x5d, 0x20, 0xe9, 0x0a]));
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^adw-trigger: tasks\.md: .*UTF-8/);
    const missing = await makeTaskRepo('[] ok\n', {
      agent: fakeAgent('commit'),
      config: { command: ['/nonexistent/agent'] },
    });
    const refused = await runCli(['plan'], { cwd: missing });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('adw-trigger: agent executable not found: /nonexistent/agent\n');
  });

  it('shows ESC and BEL from task text as escapes, never raw', async () => {
    const tasks =
      '[] Title \u001b]0;owned\u0007 here\n[❌, 0c1d2e3f] Title \u001b]0;owned\u0007 here // Failed: x\n';
    const repo = await makeTaskRepo(tasks, {
      agent: fakeAgent('commit'),
    });
    for (const command of ['plan', 'status']) {
      const result = await runCli([command], { cwd: repo });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.includes('\u001b') || result.stdout.includes('\u0007')).toBe(false);
      expect(result.stdout).toContain('Title \\x1b]0;owned\\x07 here');
    }
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
