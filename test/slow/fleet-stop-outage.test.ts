import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli.js';
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

const unreachable = (output: string): boolean => output.includes('unreachable');

// No wall-clock ceiling: the process ending at all (while Redis stays down) is the assertion.
describe('fleet: SIGTERM while Redis is unreachable', () => {
  it('a worker exits 0 with its agent stopped; the job it could not hand back runs again elsewhere', async () => {
    scene = await makeFleet(tasks(1));
    const worker = await scene.startWorker({ concurrency: 1, sleepMs: 600_000, quickStall: true });
    const dir = scene.workerDirs.get(worker) ?? '';
    scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first attempt');
    await scene.redis.stop('SIGTERM');
    await waitFor(() => unreachable(worker.output()), 60_000, 'the worker to notice');

    worker.child.kill('SIGTERM');
    const ended = await worker.done;
    expect(ended.code, ended.stdout + ended.stderr).toBe(0);
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
    await scene.redis.stop('SIGTERM');
    await waitFor(() => unreachable(first.output()), 60_000, 'the coordinator to notice');

    first.child.kill('SIGTERM');
    const ended = await first.done;
    expect(ended.code, ended.stdout + ended.stderr).toBe(0);
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
