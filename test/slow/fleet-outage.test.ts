import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { expectEachRunOnce, makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { markers, readTasks, runJson } from '../helpers/task-repo.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

function tasks(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => `[] outage task ${String(i + 1)}`);
  return `# Tasks\n\n${lines.join('\n')}\n`;
}

// Lines of a process's output that speak of the queue being down.
function outageLines(output: string): string[] {
  return output.split('\n').filter((line) => /unreachable|ECONNREFUSED/.test(line));
}

const pause = (ms: number) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

describe('fleet: Redis unreachable', () => {
  it('an outage shorter than the grace: claims kept, logged once, every task ✅ and run once', async () => {
    scene = await makeFleet(tasks(4), { sleepMs: 3000 });
    await scene.startWorker();
    const coordinator = scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length >= 1, 120_000, 'agents to start');
    await scene.redis.stop('SIGTERM');
    await waitFor(
      () => outageLines(coordinator.output()).length > 0,
      60_000,
      'the coordinator to notice',
    );
    // A few seconds down, far below the default grace (5 minutes).
    await pause(4000);
    expect(markers(await readTasks(scene.repo)).some((task) => task.emoji === '❌')).toBe(false);
    await scene.redis.restart();
    await waitAllDone(scene.repo, 300_000);

    await expectEachRunOnce(scene, 'adw');
    const said = outageLines(coordinator.output());
    expect(said, said.join('\n')).toHaveLength(1);
    expect(said[0]).toContain(`queue redis://127.0.0.1:${String(scene.redis.port)} unreachable`);
    expect(coordinator.output()).toContain('queue reachable again');
  }, 600_000);

  it('an outage beyond the grace: waiting tasks fail naming the queue; nothing runs behind the ❌, nothing merged; retry runs it anew', async () => {
    scene = await makeFleet(tasks(2), { config: { queueOutageGrace: '2s' } });
    const worker = await scene.startWorker({ concurrency: 1, sleepMs: 12_000 });
    const coordinator = scene.startCoordinator();
    await waitFor(async () => (await scene!.runs()).length === 1, 120_000, 'the first agent');
    const [running] = await scene.runs();
    await scene.redis.stop('SIGTERM');
    const url = `redis://127.0.0.1:${String(scene.redis.port)}`;
    const failed = await waitFor(
      async () => {
        const found = markers(await readTasks(scene!.repo));
        return found.every((task) => task.emoji === '❌') ? found : null;
      },
      120_000,
      'both tasks to fail after the grace',
    );
    for (const task of failed) {
      const record = await runJson(scene.repo, task.id ?? '');
      expect(record.status).toBe('failed');
      expect(String(record.error)).toContain(`queue ${url} unreachable for more than 2s`);
    }
    const afterFail = await readTasks(scene.repo);
    await scene.redis.restart();

    // The job no worker had taken is withdrawn once the queue is back: it never runs.
    const waiting = failed.find((task) => task.id !== running);
    const redis = new Redis(scene.redis.url, { maxRetriesPerRequest: null });
    try {
      await waitFor(
        async () => (await redis.exists(`bull:adw-tasks:task-${waiting?.id ?? ''}`)) === 0,
        120_000,
        'the waiting job to be withdrawn',
      );
    } finally {
      redis.disconnect();
    }
    // The running one finishes on its worker and pushes its result, which is never merged.
    await waitFor(() => worker.output().includes('job finished'), 120_000, 'the worker to finish');
    const result = await waitFor(
      async () =>
        (await git(scene!.remote, 'for-each-ref', `refs/adw/results/${running ?? ''}/`)).trim(),
      60_000,
      'the result ref',
    );
    const commit = result.split(/\s+/)[0] ?? '';
    await expect(git(scene.repo, 'merge-base', '--is-ancestor', commit, 'adw')).rejects.toThrow();
    expect(await readTasks(scene.repo)).toBe(afterFail);
    expect(await scene.runs()).toEqual([running]);
    expect(coordinator.child.exitCode).toBeNull();

    // A retry is a new run under a new ID: it runs and is merged.
    const line = /outage task \d+/.exec(
      failed.find((task) => task.id === running)?.rest ?? '',
    )?.[0];
    const retried = await runCli(['retry', running ?? ''], { cwd: scene.repo });
    expect(retried.code, retried.stderr).toBe(0);
    const again = await waitFor(
      async () => {
        const task = markers(await readTasks(scene!.repo)).find(
          (found) => line !== undefined && found.rest.startsWith(line),
        );
        return task?.emoji === '✅' ? task : null;
      },
      240_000,
      'the retried task to finish',
    );
    expect(again.id).not.toBe(running);
    expect(await scene.runs()).toEqual([running, again.id]);
    await git(scene.repo, 'merge-base', '--is-ancestor', again.hash ?? '', 'adw');
  }, 600_000);
});
