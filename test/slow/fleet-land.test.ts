import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

describe('fleet landing', () => {
  it('a person pushes to the section branch between tasks: the landing push fetches, merges, pushes again; all ✅, both changes on the remote', async () => {
    scene = await makeFleet('# Tasks\n\n[] first fleet task\n', { config: { land: 'push' } });
    await scene.startWorker();
    const coordinator = scene.startCoordinator();
    await waitAllDone(scene.repo, 120_000);
    const remoteTip = async (): Promise<string> =>
      (await git(scene!.remote, 'for-each-ref', '--format=%(objectname)', 'refs/heads/adw')).trim();
    const first = markers(await readTasks(scene.repo))[0]?.hash ?? '';
    await waitFor(
      async () => {
        const tip = await remoteTip();
        return (
          tip !== '' &&
          (await git(scene!.remote, 'merge-base', '--is-ancestor', first, tip).then(
            () => true,
            () => false,
          ))
        );
      },
      60_000,
      'the section to land',
    );

    // Someone else pushes to the same branch meanwhile.
    const person = join(await tempDir('adw-person-'), 'clone');
    await git(process.cwd(), 'clone', '-q', '-b', 'adw', scene.remote, person);
    await writeFile(join(person, 'by-a-person.txt'), 'pushed by hand\n');
    await git(person, 'add', 'by-a-person.txt');
    await git(person, 'commit', '-q', '-m', 'a person was here');
    await git(person, 'push', '-q', 'origin', 'adw');
    const theirs = (await git(person, 'rev-parse', 'HEAD')).trim();

    await appendFile(join(scene.repo, 'tasks.md'), '[] second fleet task\n');
    await waitFor(
      async () => markers(await readTasks(scene!.repo)).length === 2,
      60_000,
      'the second task to be seen',
    );
    await waitAllDone(scene.repo, 120_000);
    const second = markers(await readTasks(scene.repo))[1]?.hash ?? '';
    const tip = await waitFor(
      async () => {
        const current = await remoteTip();
        return (await git(scene!.remote, 'merge-base', '--is-ancestor', second, current).then(
          () => true,
          () => false,
        ))
          ? current
          : null;
      },
      60_000,
      () => `the second task to land:\n${coordinator.output()}`,
    );
    for (const commit of [first, second, theirs])
      await git(scene.remote, 'merge-base', '--is-ancestor', commit, tip);
    expect(coordinator.output()).toMatch(/"merges":1[,}].*section pushed/);
    expect(await scene.runs()).toHaveLength(2);
  }, 600_000);
});
