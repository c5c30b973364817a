import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeFleet, waitAllDone } from '../helpers/fleet.js';
import type { FleetScene } from '../helpers/fleet.js';
import { startRedis } from '../helpers/redis.js';
import { markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

let scene: FleetScene | null = null;
afterEach(async () => {
  await scene?.stop();
  scene = null;
});

// A repository whose tasks take `.env` (ignored, named by .worktreeinclude) and a linked
// `node_modules` from a main checkout.
const repository = {
  agent: 'sh-commit' as const,
  config: { linkDirs: ['node_modules'] },
  files: { '.gitignore': '.env\nnode_modules/\n', '.worktreeinclude': '.env\n' },
};

// A checkout of the remote on the worker's machine, with its own ignored files.
async function workerCheckout(remote: string): Promise<string> {
  const source = join(await tempDir('adw-source-'), 'checkout');
  await git(process.cwd(), 'clone', '-q', remote, source);
  await writeFile(join(source, '.env'), 'SECRET=worker machine\n');
  await mkdir(join(source, 'node_modules', 'tool'), { recursive: true });
  await writeFile(join(source, 'node_modules', 'tool', 'index.txt'), 'installed on the worker\n');
  return source;
}

describe('fleet: worktree set-up on a worker', () => {
  it("a task on a worker sees the worker checkout's .worktreeinclude files and linked folders; neither is committed", async () => {
    scene = await makeFleet('# Tasks\n\n[] read the set-up\n', repository);
    // The coordinator's own .env stays on its machine: the worker's is the one the task sees.
    await writeFile(join(scene.repo, '.env'), 'SECRET=coordinator machine\n');
    const source = await workerCheckout(scene.remote);
    const see = 'cat .env > seen-env.txt && cat node_modules/tool/index.txt > seen-tool.txt';
    const worker = await scene.startWorker({
      args: ['--include-from', source],
      env: { ADW_FAKE_SH: see },
    });
    scene.startCoordinator();
    await waitAllDone(scene.repo, 300_000);

    expect(await git(scene.repo, 'show', 'adw:seen-env.txt')).toBe('SECRET=worker machine');
    expect(await git(scene.repo, 'show', 'adw:seen-tool.txt')).toBe('installed on the worker');
    const tree = (await git(scene.repo, 'ls-tree', '-r', '--name-only', 'adw')).split('\n');
    expect(tree.filter((path) => path === '.env' || path.startsWith('node_modules'))).toEqual([]);
    expect(worker.output()).not.toContain('this worker has none');
    // The worker's checkout is only read.
    expect(await git(source, 'status', '--porcelain')).toBe('');
    expect(await readFile(join(source, '.env'), 'utf8')).toBe('SECRET=worker machine\n');
  }, 600_000);

  it('a worker without a checkout of its own says so once and runs the tasks without those files', async () => {
    const tasks = '# Tasks\n\n[] first without set-up\n[] second without set-up\n';
    scene = await makeFleet(tasks, repository);
    await writeFile(join(scene.repo, '.env'), 'SECRET=coordinator machine\n');
    const see = '(test -e .env && echo present || echo absent) > "seen-$ADW_ID.txt"';
    const worker = await scene.startWorker({ concurrency: 1, env: { ADW_FAKE_SH: see } });
    scene.startCoordinator();
    await waitAllDone(scene.repo, 300_000);

    for (const task of markers(await readTasks(scene.repo))) {
      expect(await git(scene.repo, 'show', `adw:seen-${task.id ?? ''}.txt`)).toBe('absent');
    }
    const said = worker
      .output()
      .split('\n')
      .filter((line) => line.includes('this worker has none'));
    expect(said, worker.output()).toHaveLength(1);
    expect(said[0]).toContain('the files .worktreeinclude names and linkDirs (node_modules)');
    expect(said[0]).toContain('--include-from DIR');
  }, 600_000);

  it.each([
    ['a missing folder', (source: string) => join(source, 'missing'), 'no such folder'],
    [
      'a folder inside a checkout',
      (source: string) => join(source, 'node_modules'),
      'it is a folder inside the checkout',
    ],
    ['a folder outside any checkout', () => '/', 'not a git repository'],
  ])(
    '--include-from %s: the worker refuses to start and changes nothing',
    async (_, folder, found) => {
      const redis = await startRedis();
      const client = new Redis(redis.url, { maxRetriesPerRequest: null });
      try {
        const remote = join(await tempDir('adw-remote-'), 'remote.git');
        await git(process.cwd(), 'init', '-q', '--bare', '-b', 'main', remote);
        const source = await workerCheckout(remote);
        const dir = join(await tempDir('adw-worker-'), 'w');
        const bad = folder(source);
        const result = await runCli(
          ['worker', '--queue', redis.url, '--dir', dir, '--include-from', bad],
          { cwd: source },
        );
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(
          `Expected --include-from (ADW_INCLUDE_FROM) to be the top folder of a git checkout of the project, got \`${bad}\`: ${found}`,
        );
        expect(existsSync(dir)).toBe(false);
        expect(await client.keys('*')).toEqual([]);
      } finally {
        client.disconnect();
        await redis.stop();
      }
    },
    120_000,
  );
});
