import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { startCli, waitFor } from './cli.js';
import type { CliProcess } from './cli.js';
import { dashboardOf } from './http.js';
import { makeTaskRepo, markers, readTasks } from './task-repo.js';
import { tempDir } from './temp.js';

/** A daemon with its dashboard, stopped at the point where one task failed, one is done, one runs. */
export interface DashboardScene {
  repo: string;
  url: string;
  cli: CliProcess;
  failedId: string;
  doneId: string;
  runningId: string;
  /** Lets the running task finish. */
  release: () => Promise<void>;
  stop: () => Promise<void>;
}

export const SCENE_TASKS = '# Tasks\n\n[] Broken task FAIL\n[] Quick task\n[] Slow task WAIT\n';

/**
 * Starts `adw-trigger start --http` on a repository whose agent (test/fixtures/agents/scripted.mjs,
 * one task at a time) fails the first task, finishes the second, and keeps the third running until
 * released; returns once tasks.md shows ❌, ✅, 🟡.
 */
export async function startDashboardScene(
  config: Record<string, unknown> = {},
): Promise<DashboardScene> {
  const gate = join(await tempDir('adw-gate-'), 'gate');
  const repo = await makeTaskRepo(SCENE_TASKS, {
    agent: fakeAgent('scripted'),
    config: { concurrency: 1, retries: 0, http: '0', ...config },
  });
  const cli = startCli(['start'], { cwd: repo, env: { ADW_FAKE_GATE: gate } });
  const url = await dashboardOf(repo);
  const found = await waitFor(
    async () => {
      const [failed, done, running] = markers(await readTasks(repo));
      return failed?.emoji === '❌' && done?.emoji === '✅' && running?.emoji === '🟡'
        ? { failedId: failed.id ?? '', doneId: done.id ?? '', runningId: running.id ?? '' }
        : null;
    },
    60_000,
    () => `tasks ❌ ✅ 🟡 (daemon said: ${cli.output()})`,
  );
  return {
    repo,
    url,
    cli,
    ...found,
    release: async () => {
      await writeFile(gate, '');
    },
    stop: async () => {
      cli.child.kill('SIGTERM');
      await cli.done;
    },
  };
}
