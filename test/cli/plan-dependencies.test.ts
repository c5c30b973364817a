import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { makeTaskRepo, readTasks } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

// A diamond across two sections: A → B, A → C, B + C → D.
const DIAMOND = `# Tasks

## Git Worktree api
[] Build the API #name:api
[] Write the API client #name:client #after:api

## Git Worktree web
[] Build the web page {name:page, after:api}
[] Ship both #after:client,page
`;

// A task waiting on a failed one, and two tasks waiting on each other through after: and [⏰].
const STUCK = `## Git Worktree api
[❌, 0c1d2e3f] Build the API #name:build-api // Failed: agent exited with code 1
[] Deploy it #after:build-api

## Git Worktree loop
[] Left side #name:left #after:right
[⏰] Right side #name:right
`;

describe('adw-trigger plan with named dependencies', () => {
  it('shows the waves of a diamond across two sections, each later task with the line it waits on', async () => {
    const repo = await makeTaskRepo(DIAMOND, { agent: fakeAgent('commit') });
    const before = await snapshotDir(repo);
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        [
          '^Wave 1 \\(starts now, \\d+ at a time\\):',
          ' {2}line 4 +api .*Build the API #name:api',
          'Wave 2 \\(after wave 1 succeeds\\):',
          ' {2}line 5 +api .*Write the API client .* \\(waits on line 4: name api, \\[\\] pending\\)',
          ' {2}line 8 +web .*Build the web page .* \\(waits on line 4: name api, \\[\\] pending\\)',
          'Wave 3 \\(after wave 2 succeeds\\):',
          ' {2}line 9 +web .*Ship both .* \\(waits on line 5: name client, \\[\\] pending\\)',
          '',
        ].join('\\n'),
      ),
    );
    expect(result.stdout).not.toContain('Not planned');
    const json = await runCli(['plan', '--json'], { cwd: repo });
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as { tasks: Record<string, unknown>[] };
    expect(plan).toMatchObject({ waves: [[4], [5, 8], [9]], notPlanned: [] });
    expect(plan.tasks.map((task) => [task.line, task.name, task.after])).toEqual([
      [4, 'api', []],
      [5, 'client', ['api']],
      [8, 'page', ['api']],
      [9, null, ['client', 'page']],
    ]);
    expect(await snapshotDir(repo)).toEqual(before);
  });

  it('says on which line a task waits and why: a failed dependency, a cycle', async () => {
    const repo = await makeTaskRepo(STUCK, { agent: fakeAgent('commit') });
    const result = await runCli(['plan'], { cwd: repo });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Nothing would start now\.$/m);
    expect(result.stdout).toMatch(
      /^ {2}line 3 +api .*Deploy it #after:build-api: waits on line 2 \(name build-api, ❌ failed\), which will not be done$/m,
    );
    expect(result.stdout).toMatch(/^ {2}line 6 +loop .*Left side .*: has an error/m);
    expect(result.stdout).toMatch(/^ {2}line 7 +loop .*Right side .*: has an error/m);

    const status = await runCli(['status'], { cwd: repo });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(
      /^ {2}line 3 +waits on line 2 \(name build-api, ❌ failed\) +Deploy it #after:build-api$/m,
    );
    expect(status.stdout).toContain(
      'tasks.md:6:1 error dependency-cycle Tasks wait on each other: line 6 waits on line 7 (after:right), line 7 waits on line 6 (⏰, above it); none of them can start',
    );
    const json = await runCli(['status', '--json'], { cwd: repo });
    const report = JSON.parse(json.stdout) as { tasks: Record<string, unknown>[] };
    expect(report.tasks.find((task) => task.line === 3)).toMatchObject({
      status: 'pending',
      runnable: false,
      blockedBy: 2,
      blockedReason: 'name build-api, ❌ failed',
      after: ['build-api'],
    });

    const check = await runCli(['check'], { cwd: repo });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^tasks\.md:6:1 error dependency-cycle .*line 6.*line 7/m);
    expect(await readTasks(repo)).toBe(STUCK);
  });
});
