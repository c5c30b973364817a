import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli.js';
import type { CliProcess, CliResult } from '../helpers/cli.js';
import { expectEachRunOnce, makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { processesIn } from '../helpers/processes.js';
import { markers, readTasks, runJson } from '../helpers/task-repo.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

function tasks(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => `[] stopped in an outage ${String(i + 1)}`);
  return `# Tasks\n\n${lines.join('\n')}\n`;
}

// Stops Redis, waits until `process` noticed, sends it SIGTERM and waits for its end: exit 0.
async function sigtermInOutage(fleet: FleetScene, process: CliProcess): Promise<CliResult> {
  await fleet.redis.stop('SIGTERM');
  await waitFor(() => process.output().includes('unreachable'), 60_000, 'the outage noticed');
  process.child.kill('SIGTERM');
  const ended = await process.done;
  expect(ended.code, ended.stdout + ended.stderr).toBe(0);
  return ended;
}

// No wall-clock ceiling: the process ending at all (while Redis stays down) is the assertion.
describe('fleet: SIGTERM while Redis is unreachable', () => {
  it('a worker exits 0 with its agent stopped; the job it could not hand back runs again elsewhere', async () => {
    scene = await makeFleet(tasks(1));
    const worker = await scene.startWorker({ concurrency: 1, sleepMs: 600_000, quickStall: true });
    const dir = scene.workerDirs.get(worker) ?? '';
    scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first attempt');
    const ended = await sigtermInOutage(scene, worker);
    expect(ended.stdout).toContain('left to stalled-job detection');
    expect(await processesIn(dir)).toEqual([]);

    await scene.redis.restart();
    await scene.startWorker({ concurrency: 1, sleepMs: 0, quickStall: true });
    await waitAllDone(scene.repo, 300_000);
    const id = markers(await readTasks(scene.repo))[0]?.id ?? '';
    expect(await scene.runs()).toEqual([id, id]);
    expect(await runJson(scene.repo, id)).toMatchObject({ status: 'done', fleet: { attempt: 2 } });
  }, 600_000);

  it('the coordinator exits keeping its claims; the next start finishes them, each run once', async () => {
    scene = await makeFleet(tasks(2));
    await scene.startWorker({ concurrency: 1, sleepMs: 6000 });
    const first = scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first agent');
    const ended = await sigtermInOutage(scene, first);
    expect(ended.stdout).toContain('claim kept for the next start');
    const kept = markers(await readTasks(scene.repo));
    expect(kept.map((task) => task.emoji)).toEqual(['🟡', '🟡']);
    for (const task of kept) {
      expect(await runJson(scene.repo, task.id ?? '')).toMatchObject({ status: 'running' });
    }

    await scene.redis.restart();
    scene.startCoordinator();
    await waitAllDone(scene.repo, 300_000);
    await expectEachRunOnce(scene, 'adw');
    expect(markers(await readTasks(scene.repo)).map((task) => task.id)).toEqual(
      kept.map((task) => task.id),
    );
  }, 600_000);
});
