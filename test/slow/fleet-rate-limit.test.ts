import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { waitFor } from '../helpers/cli.js';
import { makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { markers, readTasks, runJson } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

// The index of the first log line of `output` containing `text` (-1 when none).
function lineOf(output: string, text: string): number {
  return output.split('\n').findIndex((line) => line.includes(text));
}

describe('fleet: a rate limit on a worker', () => {
  it("pauses the coordinator's dispatch until the reset; the task keeps 🟡, runs again after it, ✅ as one task", async () => {
    scene = await makeFleet('# Tasks\n\n[] meets the limit\n', {
      config: { command: [process.execPath, fakeAgent('rate-limit-once')] },
    });
    const flag = join(await tempDir('adw-limit-'), 'limited.flag');
    // No reset time in the message: the pause lasts the backoff of the worker (3 s).
    await scene.startWorker({ env: { ADW_FAKE_LIMITED: flag, ADW_RETRY_BACKOFF: '3s' } });
    const coordinator = scene.startCoordinator();
    await waitFor(
      () => coordinator.output().includes('paused: rate limit'),
      120_000,
      () => `the coordinator to pause:\n${coordinator.output()}`,
    );
    const [limited] = markers(await readTasks(scene.repo));
    expect(limited?.emoji).toBe('🟡');
    // A task added during the pause is claimed only once dispatch resumes.
    await appendFile(join(scene.repo, 'tasks.md'), '[] after the pause\n');
    await waitAllDone(scene.repo, 240_000);

    const output = coordinator.output();
    const paused = lineOf(output, 'paused: rate limit');
    const resumed = lineOf(output, 'dispatch resumed');
    const claimed = lineOf(output, 'claimed: after the pause');
    expect(paused).toBeGreaterThanOrEqual(0);
    expect(resumed).toBeGreaterThan(paused);
    expect(claimed).toBeGreaterThan(resumed);
    expect(output.split('paused: rate limit').length - 1).toBe(1);

    const [first, second] = markers(await readTasks(scene.repo));
    // The limited step ran again on the same job: one task, one attempt, two agent starts.
    expect(await scene.runs()).toEqual([first?.id, first?.id, second?.id]);
    expect(await runJson(scene.repo, first?.id ?? '')).toMatchObject({
      status: 'done',
      fleet: { attempt: 1 },
    });
  }, 600_000);
});
