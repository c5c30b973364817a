import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

const TASKS = `# Tasks

## Git Worktree alpha
[✅ 9f8e7d6c1, 5e6f7a8b] A finished task
[] A pending task #sonnet
[⏰] A blocked task {opus, adw_plan_implement}

## Git Worktree beta
[❌, 0c1d2e3f] A failed task // Failed: agent timed out after 30m
[⏰] Waits behind the failure
[🟡, 1a2b3c4d] Set in progress by hand
[🟢] Not a marker
`;

const TASK_KEYS = [
  'line',
  'section',
  'status',
  'description',
  'prompt',
  'tags',
  'model',
  'workflow',
  'id',
  'commit',
  'error',
  'runnable',
  'blockedBy',
  'blockedReason',
  'name',
  'after',
];

interface Report {
  file: string;
  tasks: Record<string, unknown>[];
  diagnostics: Record<string, unknown>[];
  runs: Record<string, unknown>[];
  pause: unknown;
  spend: unknown;
}

describe('adw-trigger status --json', () => {
  it('prints the exact SPEC §6 object for pending, blocked, done, failed and in-progress tasks, changing nothing', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['status', '--json'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    // SPEC §6, plus landing, what `clean` would remove, the cost of the runs, the dispatch pause
    // and the day's spend, and the daemons serving the file (none).
    expect(Object.keys(report)).toEqual([
      'file',
      'tasks',
      'diagnostics',
      'runs',
      'sections',
      'clean',
      'cost',
      'pause',
      'spend',
      'daemons',
    ]);
    expect((report as unknown as { daemons: unknown[] }).daemons).toEqual([]);
    expect(report.pause).toBeNull();
    expect(report.spend).toEqual({ todayUsd: 0, maxCostPerDay: null });
    expect(report.file).toBe('tasks.md');
    for (const task of report.tasks) expect(Object.keys(task)).toEqual(TASK_KEYS);
    expect(report.tasks).toEqual([
      {
        line: 4,
        section: 'alpha',
        status: 'done',
        description: 'A finished task',
        prompt: 'A finished task',
        tags: [],
        model: null,
        workflow: 'build',
        id: '5e6f7a8b',
        commit: '9f8e7d6c1',
        error: null,
        runnable: false,
        blockedBy: null,
        blockedReason: null,
        name: null,
        after: [],
      },
      {
        line: 5,
        section: 'alpha',
        status: 'pending',
        description: 'A pending task #sonnet',
        prompt: 'A pending task',
        tags: ['sonnet'],
        model: 'sonnet',
        workflow: 'build',
        id: null,
        commit: null,
        error: null,
        runnable: true,
        blockedBy: null,
        blockedReason: null,
        name: null,
        after: [],
      },
      {
        line: 6,
        section: 'alpha',
        status: 'blocked',
        description: 'A blocked task {opus, adw_plan_implement}',
        prompt: 'A blocked task',
        tags: ['opus', 'adw_plan_implement'],
        model: 'opus',
        workflow: 'plan-implement',
        id: null,
        commit: null,
        error: null,
        runnable: false,
        blockedBy: 5,
        blockedReason: 'above it in section alpha, [] pending',
        name: null,
        after: [],
      },
      {
        line: 9,
        section: 'beta',
        status: 'failed',
        description: 'A failed task',
        prompt: 'A failed task',
        tags: [],
        model: null,
        workflow: 'build',
        id: '0c1d2e3f',
        commit: null,
        error: 'agent timed out after 30m',
        runnable: false,
        blockedBy: null,
        blockedReason: null,
        name: null,
        after: [],
      },
      {
        line: 10,
        section: 'beta',
        status: 'blocked',
        description: 'Waits behind the failure',
        prompt: 'Waits behind the failure',
        tags: [],
        model: null,
        workflow: 'build',
        id: null,
        commit: null,
        error: null,
        runnable: false,
        blockedBy: 9,
        blockedReason: 'above it in section beta, ❌ failed',
        name: null,
        after: [],
      },
      {
        line: 11,
        section: 'beta',
        status: 'in_progress',
        description: 'Set in progress by hand',
        prompt: 'Set in progress by hand',
        tags: [],
        model: null,
        workflow: 'build',
        id: '1a2b3c4d',
        commit: null,
        error: null,
        runnable: false,
        blockedBy: null,
        blockedReason: null,
        name: null,
        after: [],
      },
    ]);
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({
      line: 12,
      column: 1,
      severity: 'error',
      rule: 'unknown-marker',
    });
    expect(Object.keys(report.diagnostics[0]!).sort()).toEqual([
      'actual',
      'column',
      'endColumn',
      'endLine',
      'expected',
      'line',
      'message',
      'rule',
      'severity',
    ]);
    // A 🟡 set by hand has no run record: no run is reported for it.
    expect(report.runs).toEqual([]);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('lists a run with id, step, startedAt and pid while a daemon runs a hanging agent', async () => {
    const repo = await makeTaskRepo('## Git Worktree slow\n[] Hang for a while\n', {
      agent: fakeAgent('hang'),
    });
    const daemon = startCli(['start'], { cwd: repo });
    try {
      const id = await waitFor(
        async () => markers(await readTasks(repo))[0]?.id,
        20_000,
        'the task to be claimed',
      );
      expect(markers(await readTasks(repo))[0]?.emoji).toBe('🟡');
      const run = await waitFor(
        async () => {
          const result = await runCli(['status', '--json'], { cwd: repo });
          const report = JSON.parse(result.stdout) as Report;
          return report.runs.find((r) => r.pid !== null && r.step !== null);
        },
        20_000,
        'a run with a step and a pid in status --json',
      );
      expect(Object.keys(run).sort()).toEqual(['costUsd', 'id', 'pid', 'startedAt', 'step']);
      expect(run.id).toBe(id);
      expect(run.step).toBe('implement');
      expect(typeof run.startedAt).toBe('string');
      expect(Date.parse(run.startedAt as string)).toBeLessThanOrEqual(Date.now());
      expect(Date.now() - Date.parse(run.startedAt as string)).toBeLessThan(60_000);
      expect(run.pid).toEqual(expect.any(Number));
      // The pid is the agent's, alive right now (kill 0 throws for a dead pid).
      expect(process.kill(run.pid as number, 0)).toBe(true);

      const text = await runCli(['status'], { cwd: repo });
      expect(text.stdout).toMatch(
        new RegExp(`Running\\n  line 2  ${id}  step implement  \\S+  Hang for a while`),
      );
    } finally {
      daemon.child.kill('SIGTERM');
      const end = await daemon.done;
      expect(end.code, end.stderr).toBe(0);
    }
    expect(await readTasks(repo)).toBe('## Git Worktree slow\n[] Hang for a while\n');
  });
});

describe('adw-trigger status', () => {
  it('shows sections with progress, failures with reasons, blocked tasks with the blocking line, and diagnostics', async () => {
    const repo = await makeTaskRepo(TASKS, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['status'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^ {2}alpha +\[#+\.+\] 1\/3 done$/m);
    expect(out).toMatch(/^ {2}beta +\[\.+\] 0\/3 done, 1 running, 1 failed$/m);
    expect(out).toMatch(
      /^Failed.*\n {2}line 9 +0c1d2e3f +A failed task: agent timed out after 30m$/m,
    );
    expect(out).toMatch(
      /^Blocked\n {2}line 6 +waits on line 5 \(above it in section alpha, \[\] pending\) +A blocked task/m,
    );
    expect(out).toMatch(
      /^ {2}line 10 +waits on line 9 \(above it in section beta, ❌ failed\) +Waits behind the failure$/m,
    );
    expect(out).toMatch(
      /^Running\n {2}line 11 +1a2b3c4d +Set in progress by hand +\(no run record/m,
    );
    expect(out).toMatch(/^Diagnostics\n {2}tasks\.md:12:1 error unknown-marker /m);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('exits 1 naming the file when the task file is missing, creating nothing', async () => {
    const repo = await makeTaskRepo('', { agent: fakeAgent('commit') });
    await rm(join(repo, 'tasks.md'));
    const before = await snapshotDir(repo);
    const result = await runCli(['status', '--json'], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/tasks\.md does not exist/);
    expect(await snapshotDir(repo)).toEqual(before);
  });
});
