import { mkdirSync, rmSync } from 'node:fs';
import {
  appendFile,
  chmod,
  lstat,
  readFile,
  readdir,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { hashText } from '../../src/store/read-tasks-file.js';
import { lockPathOf } from '../../src/store/tasks-lock.js';
import { updateTasksFile } from '../../src/store/update-tasks-file.js';
import { tempDir } from '../helpers/temp.js';

async function tasksFile(content: string | Buffer, mode = 0o644): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, 'tasks.md');
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return error as Error;
}

const claim = (text: string): string => text.replace('[] a', '[🟡, 1a2b3c4d] a');

describe('updateTasksFile', () => {
  it('writes the edit atomically, keeping BOM, CRLF and mode, and returns the new snapshot', async () => {
    const raw = Buffer.from('\uFEFF# Tasks\r\n[] a\r\n[] b\r\n', 'utf8');
    const path = await tasksFile(raw, 0o640);
    const result = await updateTasksFile(path, claim);
    const bytes = await readFile(path);
    expect(bytes.toString('utf8')).toBe('\uFEFF# Tasks\r\n[🟡, 1a2b3c4d] a\r\n[] b\r\n');
    expect((await stat(path)).mode & 0o7777).toBe(0o640);
    expect(result).toEqual({
      written: true,
      snapshot: {
        path,
        text: '# Tasks\r\n[🟡, 1a2b3c4d] a\r\n[] b\r\n',
        bom: true,
        hash: hashText(bytes),
        encodingError: null,
      },
    });
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it('gives the edit the current text and snapshot, read inside the lock', async () => {
    const path = await tasksFile('[] a\n');
    const seen: string[] = [];
    await updateTasksFile(path, (text, snapshot) => {
      seen.push(text, snapshot.hash);
      return null;
    });
    expect(seen).toEqual(['[] a\n', hashText('[] a\n')]);
  });

  it('writes nothing when the edit returns null or the same text (mtime unchanged)', async () => {
    const path = await tasksFile('[] a\n');
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(path, old, old);
    const before = await stat(path);
    const none = await updateTasksFile(path, () => null);
    const same = await updateTasksFile(path, (text) => text);
    expect(none).toEqual({
      written: false,
      snapshot: expect.objectContaining({ text: '[] a\n', hash: hashText('[] a\n') }) as unknown,
    });
    expect(same.written).toBe(false);
    const after = await stat(path);
    expect([after.mtimeMs, after.ino]).toEqual([before.mtimeMs, before.ino]);
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it('loses no update when many writers race on one file', async () => {
    const path = await tasksFile('# Tasks\n');
    const writers = Array.from({ length: 25 }, (_, i) =>
      updateTasksFile(path, (text) => `${text}[] task ${i}\n`),
    );
    await Promise.all(writers);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.startsWith('[]'));
    expect(lines.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `[] task ${i}`).sort());
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it('refuses a read-only file with WRITE_FAILED naming it, and leaves it unchanged', async () => {
    const path = await tasksFile('[] a\n', 0o444);
    const error = await caught(updateTasksFile(path, claim));
    expect(isAdwError(error, 'WRITE_FAILED')).toBe(true);
    expect(error.message).toBe(
      `${path} is read-only (mode 0444): make it writable (chmod u+w) so that adw-trigger can record task status`,
    );
    expect(await readFile(path, 'utf8')).toBe('[] a\n');
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it('refuses a file that is not UTF-8 without calling the edit, naming the line', async () => {
    const raw = Buffer.concat([
      Buffer.from('# Tasks\n[] a\n[] b'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    const path = await tasksFile(raw);
    let called = false;
    const error = await caught(
      updateTasksFile(path, (text) => {
        called = true;
        return claim(text);
      }),
    );
    expect(isAdwError(error, 'TASKS_FILE_NOT_UTF8')).toBe(true);
    expect(error.message).toMatch(
      new RegExp(
        `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:5 error invalid-utf8 Not valid UTF-8 \\(byte 0xC3\\)`,
      ),
    );
    expect(called).toBe(false);
    expect((await readFile(path)).equals(raw)).toBe(true);
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it('throws TASKS_FILE_MISSING for a missing file and leaves no lock behind', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    const error = await caught(updateTasksFile(path, claim));
    expect(isAdwError(error, 'TASKS_FILE_MISSING')).toBe(true);
    expect(error.message).toContain(path);
    expect(await readdir(dir)).toEqual([]);
  });

  it('throws WRITE_FAILED when the rename fails and removes the temp file', async () => {
    const path = await tasksFile('[] a\n');
    // The edit swaps tasks.md for a non-empty directory, which no rename can replace.
    const error = await caught(
      updateTasksFile(path, (text) => {
        rmSync(path);
        mkdirSync(join(path, 'sub'), { recursive: true });
        return claim(text);
      }),
    );
    expect(isAdwError(error, 'WRITE_FAILED')).toBe(true);
    expect(error.message).toMatch(new RegExp(`^Cannot write ${path}: .*(EISDIR|ENOTEMPTY)`));
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
    expect(await readdir(path)).toEqual(['sub']);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const path = await tasksFile('[] a\n');
    const link = join(dirname(path), 'link.md');
    await symlink(path, link);
    await updateTasksFile(link, claim);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('[🟡, 1a2b3c4d] a\n');
    expect((await readdir(dirname(path))).sort()).toEqual(['link.md', 'tasks.md']);
  });

  it('times out with LOCK_TIMEOUT when the lock is held, leaving the file unchanged', async () => {
    const path = await tasksFile('[] a\n');
    await writeFile(
      lockPathOf(path),
      JSON.stringify({ pid: process.pid, host: 'elsewhere', acquiredAt: 'x' }),
    );
    const error = await caught(updateTasksFile(path, claim, { lockTimeoutMs: 50 }));
    expect(isAdwError(error, 'LOCK_TIMEOUT')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('[] a\n');
  });
});

describe('updateTasksFile racing a writer that takes no lock', () => {
  it('keeps every line appended while 60 edits replace the file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'tasks.md');
    await writeFile(file, 'line A\n');
    const state = { done: false };
    const appended: string[] = [];
    const writer = (async () => {
      for (let i = 0; !state.done; i++) {
        appended.push(`appended ${i}`);
        await appendFile(file, `appended ${i}\n`);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
    for (let k = 0; k < 60; k++) {
      // No quiet wait: a file appended to every 3 ms never rests, and this is about late appends.
      await updateTasksFile(
        file,
        (text) => text.replace(/^line ([AB])/, (_, x: string) => `line ${x === 'A' ? 'B' : 'A'}`),
        { quietMs: 0 },
      ).catch((error: unknown) => {
        // Giving up on a file that keeps changing is allowed; losing a line is not.
        expect(String(error)).toContain('kept changing');
      });
    }
    state.done = true;
    await writer;
    const text = await readFile(file, 'utf8');
    expect(appended.length).toBeGreaterThan(10);
    expect(appended.filter((line) => !text.includes(`${line}\n`))).toEqual([]);
    expect(text.startsWith('line ')).toBe(true);
    // A loaded machine makes each edit slow; the count of edits, not the clock, bounds the test.
  }, 180_000);

  it("writes the new file while the edit's work goes on, and renames only once it is done", async () => {
    const path = await tasksFile('# Tasks\n[] a\n');
    let finish = (): void => undefined;
    const work = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const update = updateTasksFile(path, (text) => ({ text: claim(text), before: work }));
    // The new file is written beside it meanwhile; tasks.md is not replaced yet.
    for (;;) {
      const names = await readdir(dirname(path));
      if (names.some((name) => name.endsWith('.tmp'))) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readFile(path, 'utf8')).toBe('# Tasks\n[] a\n');
    finish();
    expect((await update).written).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('# Tasks\n[🟡, 1a2b3c4d] a\n');
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });

  it("leaves the file as it was when the edit's work fails, and says why", async () => {
    const path = await tasksFile('# Tasks\n[] a\n');
    const failing = (text: string) => ({
      text: claim(text),
      before: Promise.reject(new Error('record not written: disk full')),
    });
    const error = await caught(updateTasksFile(path, failing));
    expect(isAdwError(error, 'WRITE_FAILED')).toBe(true);
    expect(error.message).toContain('record not written: disk full');
    expect(await readFile(path, 'utf8')).toBe('# Tasks\n[] a\n');
    expect(await readdir(dirname(path))).toEqual(['tasks.md']);
  });
});
