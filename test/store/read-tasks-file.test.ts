import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { hashText, readTasksFile } from '../../src/store/read-tasks-file.js';
import { tempDir } from '../helpers/temp.js';

async function caught(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  return error as Error;
}

describe('hashText', () => {
  it('is the sha256 hex of the bytes, strings hashed as UTF-8', () => {
    const expected = createHash('sha256').update(Buffer.from('[🟡, ab] x\n', 'utf8')).digest('hex');
    expect(hashText('[🟡, ab] x\n')).toBe(expected);
    expect(hashText(Buffer.from('[🟡, ab] x\n', 'utf8'))).toBe(expected);
    expect(hashText('a')).not.toBe(hashText('b'));
  });
});

describe('readTasksFile', () => {
  it('strips the BOM from the text, remembers it, and hashes the raw bytes', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# T\r\n[] a\r\n')]);
    await writeFile(path, raw);
    expect(await readTasksFile(path)).toEqual({
      path,
      text: '# T\r\n[] a\r\n',
      bom: true,
      hash: hashText(raw),
      encodingError: null,
    });
  });

  it('keeps a second BOM as text and reports no BOM when there is none', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    await writeFile(path, '\uFEFF\uFEFFx');
    expect((await readTasksFile(path)).text).toBe('\uFEFFx');
    await writeFile(path, 'x\uFEFF');
    expect(await readTasksFile(path)).toMatchObject({ text: 'x\uFEFF', bom: false });
  });

  it('decodes non-UTF-8 bytes with replacement and reports the first bad line', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    const raw = Buffer.concat([
      Buffer.from('# Tasks\n[] caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n[] ok\n'),
    ]);
    await writeFile(path, raw);
    const snapshot = await readTasksFile(path);
    expect(snapshot.text).toBe('# Tasks\n[] caf\uFFFD\n[] ok\n');
    expect(snapshot.hash).toBe(hashText(raw));
    expect(snapshot.encodingError).toMatchObject({
      rule: 'invalid-utf8',
      severity: 'error',
      line: 2,
      column: 7,
    });
    expect(snapshot.encodingError?.message).toMatch(/^Not valid UTF-8 \(byte 0xE9\)/);
  });

  it('counts columns on line 1 without the BOM', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    await writeFile(path, Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0xff]));
    expect((await readTasksFile(path)).encodingError).toMatchObject({ line: 1, column: 2 });
  });

  it('throws TASKS_FILE_MISSING naming the path', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    const error = await caught(readTasksFile(path));
    expect(isAdwError(error, 'TASKS_FILE_MISSING')).toBe(true);
    expect(error.message).toBe(`Tasks file ${path} does not exist`);
  });

  it('throws TASKS_FILE_UNREADABLE for a directory', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    await mkdir(path);
    const error = await caught(readTasksFile(path));
    expect(isAdwError(error, 'TASKS_FILE_UNREADABLE')).toBe(true);
    expect(error.message).toBe(
      `Cannot read tasks file ${path}: expected a file, found a directory`,
    );
  });

  it('throws TASKS_FILE_UNREADABLE for a symlink loop and a parent that is a file', async () => {
    const dir = await tempDir();
    const loop = join(dir, 'tasks.md');
    await symlink(loop, loop);
    const error = await caught(readTasksFile(loop));
    expect(isAdwError(error, 'TASKS_FILE_UNREADABLE')).toBe(true);
    expect(error.message).toBe(`Cannot read tasks file ${loop}: found a symbolic link loop`);

    await writeFile(join(dir, 'file'), '');
    const under = join(dir, 'file', 'tasks.md');
    const error2 = await caught(readTasksFile(under));
    expect(isAdwError(error2, 'TASKS_FILE_UNREADABLE')).toBe(true);
    expect(error2.message).toBe(
      `Cannot read tasks file ${under}: found a path whose parent is not a directory`,
    );
  });

  it('throws TASKS_FILE_UNREADABLE for a FIFO instead of blocking on it', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    await promisify(execFile)('mkfifo', [path]);
    const error = await caught(readTasksFile(path));
    expect(isAdwError(error, 'TASKS_FILE_UNREADABLE')).toBe(true);
    expect(error.message).toBe(
      `Cannot read tasks file ${path}: expected a file, found not a regular file (a FIFO, socket or device)`,
    );
  });

  it('reads through a symlink', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'real.md'), '[] a\n');
    await symlink(join(dir, 'real.md'), join(dir, 'tasks.md'));
    expect((await readTasksFile(join(dir, 'tasks.md'))).text).toBe('[] a\n');
  });
});
