import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';
import { makeTaskRepo, markers, readTasks, runJson } from '../helpers/task-repo.js';

// The first task's agent waits at a gate file (the `scripted` agent waits on WAIT in its prompt).
const TASKS = `# Tasks

## Git Worktree api
[] Build the API WAIT #name:build-api

## Git Worktree web
[] Use the API #after:build-api
`;

describe('a task with after: in another section', () => {
  it('waits, with a free slot, until the named task is ✅, then runs from its own section tip', async () => {
    const repo = await makeTaskRepo(TASKS, {
      agent: fakeAgent('scripted'),
      config: { concurrency: 2 },
    });
    const gate = join(await tempDir(), 'gate');
    const daemon = startCli(['start'], { cwd: repo, env: { ADW_FAKE_GATE: gate } });
    try {
      // The claim of the first task is written with every claim of its scan: had the second
      // been runnable, the free slot would have taken it in the same write.
      const claimed = await waitFor(
        async () => {
          const tasks = markers(await readTasks(repo));
          return tasks[0]?.emoji === '🟡' ? tasks : null;
        },
        30_000,
        () => `the first task to be claimed; log: ${daemon.output()}`,
      );
      expect(claimed[1]).toMatchObject({ emoji: '', id: null });
      const status = await runCli(['status', '--json'], { cwd: repo });
      const report = JSON.parse(status.stdout) as { tasks: Record<string, unknown>[] };
      expect(report.tasks[1]).toMatchObject({
        line: 7,
        status: 'pending',
        runnable: false,
        blockedBy: 4,
        blockedReason: 'name build-api, 🟡 in progress',
      });
      const text = await runCli(['status'], { cwd: repo });
      expect(text.stdout).toMatch(
        /^ {2}line 7 +waits on line 4 \(name build-api, 🟡 in progress\)/m,
      );

      await writeFile(gate, '');
      const done = await waitFor(
        async () => {
          const tasks = markers(await readTasks(repo));
          return tasks.every((task) => task.emoji === '✅') ? tasks : null;
        },
        60_000,
        () => `both tasks to be ✅; log: ${daemon.output()}`,
      );
      const [api, web] = done;
      const apiRun = await runJson(repo, api!.id!);
      const webRun = await runJson(repo, web!.id!);
      expect(Date.parse(webRun.startedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(apiRun.finishedAt as string),
      );
      // The dependency orders work only: web's branch starts from web's tip, not api's.
      const webFiles = await git(repo, 'ls-tree', '-r', '--name-only', `web-${web!.id!}`);
      expect(webFiles).toContain(`agent-${web!.id!}.txt`);
      expect(webFiles).not.toContain(`agent-${api!.id!}.txt`);
      expect(existsSync(join(repo, 'trees', web!.id!, `agent-${api!.id!}.txt`))).toBe(false);
    } finally {
      daemon.child.kill('SIGTERM');
      const end = await daemon.done;
      expect(end.code, end.stderr).toBe(0);
    }
    expect(await readTasks(repo)).toMatch(
      /^\[✅ [0-9a-f]{9}, [0-9a-f]{8}\] Use the API #after:build-api$/m,
    );
  });

  it('--once runs a diamond across two sections in dependency order and leaves a cycle alone', async () => {
    const tasks = [
      '## Git Worktree one',
      '[] A #name:a',
      '[] B #name:b #after:a',
      '[] Loop one #name:l1 #after:l2',
      '## Git Worktree two',
      '[] C #name:c #after:a',
      '[] D #after:b,c',
      '[] Loop two #name:l2 #after:l1',
      '',
    ].join('\n');
    const repo = await makeTaskRepo(tasks, { agent: fakeAgent('commit') });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/dependency-cycle/);
    const after = markers(await readTasks(repo));
    expect(after.map((task) => task.emoji)).toEqual(['✅', '✅', '', '✅', '✅', '']);
    const [a, b, , c, d] = await Promise.all(
      after.map((task) => (task.id === null ? Promise.resolve({}) : runJson(repo, task.id))),
    );
    const start = (run: Record<string, unknown> | undefined): number =>
      Date.parse(run?.startedAt as string);
    const end = (run: Record<string, unknown> | undefined): number =>
      Date.parse(run?.finishedAt as string);
    expect(start(b)).toBeGreaterThanOrEqual(end(a));
    expect(start(c)).toBeGreaterThanOrEqual(end(a));
    expect(start(d)).toBeGreaterThanOrEqual(Math.max(end(b), end(c)));
  });
});
