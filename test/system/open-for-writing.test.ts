import { open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openForWriting } from '../../src/system/processes.js';
import { tempDir } from '../helpers/temp.js';

describe('openForWriting', () => {
  it('sees a file held open for writing or appending, and not one open only for reading', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n');
    expect(await openForWriting(path)).toBe(false);
    for (const flags of ['w', 'a', 'r+'] as const) {
      const handle = await open(path, flags);
      expect(await openForWriting(path), flags).toBe(true);
      await handle.close();
    }
    const reader = await open(path, 'r');
    expect(await openForWriting(path)).toBe(false);
    await reader.close();
  });

  it('does not count a writer of another file of the same folder', async () => {
    const folder = await tempDir();
    await writeFile(join(folder, 'tasks.md'), '# Tasks\n');
    const other = await open(join(folder, 'tasks.md.swp'), 'w');
    expect(await openForWriting(join(folder, 'tasks.md'))).toBe(false);
    await other.close();
  });

  it('sees a writer of a file that was replaced, by its name with (deleted) after it', async () => {
    const folder = await tempDir();
    const path = join(folder, 'tasks.md');
    await writeFile(path, '# Tasks\n');
    const editor = await open(path, 'r+');
    await writeFile(join(folder, 'new'), '# New\n');
    await rename(join(folder, 'new'), path);
    expect(await openForWriting(path)).toBe(false);
    expect(await openForWriting(`${path} (deleted)`)).toBe(true);
    await editor.close();
    expect(await openForWriting(`${path} (deleted)`)).toBe(false);
  });
});
