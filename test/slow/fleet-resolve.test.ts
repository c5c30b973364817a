import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { markers, readTasks, runJson } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

describe('fleet: onConflict resolve', () => {
  it('a task that conflicts with one merged while it ran is resolved on its worker: both ✅, the section holds both changes', async () => {
    scene = await makeFleet('## Git Worktree clash\n[] One version\n[] Another version WAIT\n', {
      config: {
        command: [process.execPath, fakeAgent('resolve')],
        onConflict: 'resolve',
        retries: 0,
      },
    });
    await git(scene.repo, 'checkout', '-q', '-b', 'seed');
    await writeFile(join(scene.repo, 'shared.txt'), 'original line\n');
    await git(scene.repo, 'add', 'shared.txt');
    await git(scene.repo, 'commit', '-q', '-m', 'shared file');
    await git(scene.repo, 'checkout', '-q', 'main');
    await git(scene.repo, 'merge', '-q', '--ff-only', 'seed');
    await git(scene.repo, 'push', '-q', 'origin', 'main');
    const gate = join(await tempDir('adw-gate-'), 'open');
    // Both tasks run at once from the same base; the second waits until the first is merged.
    await scene.startWorker({ env: { ADW_FAKE_FILE: 'shared.txt', ADW_FAKE_GATE: gate } });
    const coordinator = scene.startCoordinator();
    await waitFor(
      async () => markers(await readTasks(scene!.repo))[0]?.emoji === '✅',
      120_000,
      () => `the first task to be merged:\n${coordinator.output()}`,
    );
    await writeFile(gate, '');
    await waitAllDone(scene.repo, 240_000);

    const tasks = markers(await readTasks(scene.repo));
    const merged = (await git(scene.repo, 'show', 'clash:shared.txt')).split('\n').sort();
    expect(merged).toEqual(tasks.map((task) => `change by ${task.id ?? ''}`).sort());
    const second = await runJson(scene.repo, tasks[1]?.id ?? '');
    expect(second).toMatchObject({
      status: 'done',
      resolve: { ok: true, paths: ['shared.txt'] },
    });
    // The resolve step ran on the worker (its step reached the coordinator's log), no conflict
    // reached the coordinator.
    expect(coordinator.output()).toContain(`"id":"${tasks[1]?.id ?? ''}","step":"resolve"`);
    expect(coordinator.output()).not.toContain('merge conflict');
  }, 600_000);
});
