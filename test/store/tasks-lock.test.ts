import { execFile, spawn } from 'node:child_process';
import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { lockPathOf, withTasksLock } from '../../src/store/tasks-lock.js';
import { thisHost } from '../../src/system/processes.js';
import { tempDir } from '../helpers/temp.js';
import { transpileSources } from './transpile.js';

const run = promisify(execFile);

// The pid of a process that has exited (a pid is reused only after the pid space wraps).
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

async function tasksPath(): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'tasks.md');
  await writeFile(path, '# Tasks\n');
  return path;
}

async function writeLock(path: string, holder: object | string): Promise<void> {
  await writeFile(lockPathOf(path), typeof holder === 'string' ? holder : JSON.stringify(holder));
}

// Increments a shared counter with a gap between read and write: any overlap loses an update.
function raceCounter(path: string, rounds: number, timeoutMs = 20_000) {
  let counter = 0;
  let inside = 0;
  let maxInside = 0;
  const lockers = Array.from({ length: rounds }, () =>
    withTasksLock(
      path,
      async () => {
        inside += 1;
        maxInside = Math.max(maxInside, inside);
        const seen = counter;
        await sleep(1);
        counter = seen + 1;
        inside -= 1;
      },
      { timeoutMs },
    ),
  );
  return Promise.all(lockers).then(() => ({ counter, maxInside }));
}

describe('withTasksLock', () => {
  it('lets exactly one of many concurrent in-process lockers in at a time', async () => {
    const path = await tasksPath();
    const { counter, maxInside } = await raceCounter(path, 60);
    expect(counter).toBe(60);
    expect(maxInside).toBe(1);
    expect(await readdir(join(path, '..'))).toEqual(['tasks.md']);
  });

  it('writes pid, host and acquiredAt into the lock file while held, and removes it after', async () => {
    const path = await tasksPath();
    const before = Date.now();
    const content = await withTasksLock(path, () => readFile(lockPathOf(path), 'utf8'));
    const holder = JSON.parse(content) as { pid: number; host: string; acquiredAt: string };
    expect(holder.pid).toBe(process.pid);
    expect(holder.host).toBe(thisHost());
    expect(Date.parse(holder.acquiredAt)).toBeGreaterThanOrEqual(before - 1000);
    await expect(readFile(lockPathOf(path))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('releases the lock when fn throws and passes the error on', async () => {
    const path = await tasksPath();
    await expect(withTasksLock(path, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await readdir(join(path, '..'))).toEqual(['tasks.md']);
    await expect(withTasksLock(path, () => Promise.resolve(7), { timeoutMs: 100 })).resolves.toBe(
      7,
    );
  });

  it('serialises real processes incrementing a counter file', async () => {
    const path = await tasksPath();
    const counterPath = join(path, '..', 'counter');
    await writeFile(counterPath, '0');
    const js = await transpileSources([
      'errors.ts',
      'system/errno.ts',
      'system/processes.ts',
      'system/file-lock.ts',
      'store/tasks-lock.ts',
    ]);
    const lockUrl = pathToFileURL(join(js, 'store', 'tasks-lock.js')).href;
    // Starts with a stale lock of a dead process, so the children also race to break it.
    await writeLock(path, { pid: await deadPid(), host: thisHost(), acquiredAt: 'then' });
    const script = `
      import { readFile, writeFile } from 'node:fs/promises';
      import { withTasksLock } from ${JSON.stringify(lockUrl)};
      const [path, counter, rounds] = process.argv.slice(1);
      for (let i = 0; i < Number(rounds); i++) {
        await withTasksLock(path, async () => {
          const n = Number(await readFile(counter, 'utf8'));
          await new Promise((r) => setTimeout(r, 1));
          await writeFile(counter, String(n + 1));
        }, { timeoutMs: 30000 });
      }`;
    const children = 6;
    const rounds = 15;
    await Promise.all(
      Array.from({ length: children }, () =>
        run(process.execPath, [
          '--input-type=module',
          '-e',
          script,
          path,
          counterPath,
          String(rounds),
        ]),
      ),
    );
    expect(Number(await readFile(counterPath, 'utf8'))).toBe(children * rounds);
    expect((await readdir(join(path, '..'))).sort()).toEqual(['counter', 'tasks.md']);
  });

  it('breaks the lock of a dead process on this host, once, with many waiters racing', async () => {
    const path = await tasksPath();
    await writeLock(path, {
      pid: await deadPid(),
      host: thisHost(),
      acquiredAt: '2020-01-01T00:00:00Z',
    });
    // A lock never broken would hold every waiter until its timeout: none would get in.
    const { counter, maxInside } = await raceCounter(path, 30);
    expect(counter).toBe(30);
    expect(maxInside).toBe(1);
    expect(await readdir(join(path, '..'))).toEqual(['tasks.md']);
  });

  it('breaks an empty lock file left by a holder that crashed before writing it', async () => {
    const path = await tasksPath();
    await writeLock(path, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lockPathOf(path), old, old);
    await expect(
      withTasksLock(path, () => Promise.resolve('in'), { timeoutMs: 1000 }),
    ).resolves.toBe('in');
  });

  it('breaks a stale lock even when a breaker died holding the break guard', async () => {
    const path = await tasksPath();
    await writeLock(path, { pid: await deadPid(), host: thisHost(), acquiredAt: 'then' });
    await writeFile(`${lockPathOf(path)}.break`, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${lockPathOf(path)}.break`, old, old);
    await expect(
      withTasksLock(path, () => Promise.resolve('in'), { timeoutMs: 2000 }),
    ).resolves.toBe('in');
    expect(await readdir(join(path, '..'))).toEqual(['tasks.md']);
  });

  it('times out on a live holder, naming the lock file and the holder, and leaves its lock', async () => {
    const path = await tasksPath();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const holder = { pid: sleeper.pid, host: thisHost(), acquiredAt: '2024-05-01T10:00:00.000Z' };
      await writeLock(path, holder);
      let ran = false;
      const error: unknown = await withTasksLock(
        path,
        () => {
          ran = true;
          return Promise.resolve();
        },
        { timeoutMs: 150 },
      ).catch((e: unknown) => e);
      expect(isAdwError(error, 'LOCK_TIMEOUT')).toBe(true);
      expect((error as Error).message).toBe(
        `Timed out after 150 ms waiting for lock ${lockPathOf(path)}, held by pid ${sleeper.pid}@${thisHost()} since 2024-05-01T10:00:00.000Z; if that process no longer exists, delete the lock file`,
      );
      expect(ran).toBe(false);
      expect(JSON.parse(await readFile(lockPathOf(path), 'utf8'))).toEqual(holder);
    } finally {
      sleeper.kill();
    }
  });

  it('never breaks a lock held on another host, even with a pid that is dead here', async () => {
    const path = await tasksPath();
    const pid = await deadPid();
    await writeLock(path, { pid, host: 'other-box', acquiredAt: '2024-05-01T10:00:00.000Z' });
    await expect(withTasksLock(path, () => Promise.resolve(), { timeoutMs: 100 })).rejects.toThrow(
      `held by pid ${pid}@other-box since 2024-05-01T10:00:00.000Z`,
    );
    expect(JSON.parse(await readFile(lockPathOf(path), 'utf8'))).toMatchObject({
      host: 'other-box',
    });
  });

  it('does not break a fresh empty lock (its holder may be writing it right now)', async () => {
    const path = await tasksPath();
    await writeLock(path, '');
    const error: unknown = await withTasksLock(path, () => Promise.resolve(), {
      timeoutMs: 100,
    }).catch((e: unknown) => e);
    expect(isAdwError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect((error as Error).message).toContain(lockPathOf(path));
    expect((error as Error).message).toContain(
      'an unknown holder (the lock file is empty or unreadable',
    );
    expect(await readFile(lockPathOf(path), 'utf8')).toBe('');
  });

  it('throws WRITE_FAILED when the lock cannot be created', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nope', 'tasks.md');
    const error: unknown = await withTasksLock(path, () => Promise.resolve()).catch(
      (e: unknown) => e,
    );
    expect(isAdwError(error, 'WRITE_FAILED')).toBe(true);
    expect((error as Error).message).toContain(`Cannot create lock file ${lockPathOf(path)}`);
  });
});
