import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUIET_MS } from '../../src/store/quiet.js';
import { updateTasksFile } from '../../src/store/index.js';
import { tempDir } from '../helpers/temp.js';

// With the kernel's word on who writes the file (a write lease), and without it (the quiet
// window and /proc), as where the file is another user's or on a network file system.
describe.each(['lease', 'off'])('a save still being written (write lease: %s)', (lease) => {
  beforeEach(() => {
    if (lease === 'off') process.env.ADW_TRIGGER_WRITE_LEASE = 'off';
  });
  afterEach(() => {
    delete process.env.ADW_TRIGGER_WRITE_LEASE;
  });

  it('is never read for a rewrite: an in-place save in two writes 40 ms apart keeps its end', async () => {
    const path = join(await tempDir(), 'tasks.md');
    const lost: number[] = [];
    for (let round = 0; round < 4; round++) {
      await writeFile(path, '# Tasks\n\n[] a\n');
      const save = `# Tasks\n\n[] a\n${Array.from({ length: 40 }, (_, i) => `[] saved line ${i}\n`).join('')}`;
      const cut = 20;
      // The editor: truncate, write the first part, pause, write the rest through the same file.
      const editor = await open(path, 'w');
      await editor.write(save.slice(0, cut));
      const update = updateTasksFile(path, (text) => text.replace('[] a', '[🟡, 1a2b3c4d] a'));
      await sleep(40);
      await editor.write(save.slice(cut));
      await editor.close();
      await update;
      const after = await readFile(path, 'utf8');
      if (!after.includes('[] saved line 39\n')) lost.push(round);
    }
    expect(lost).toEqual([]);
  });

  it('keeps its end when the pause between its writes outlasts the quiet window', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n\n[] a\n');
    const save = `# Tasks\n\n[] a\n${Array.from({ length: 40 }, (_, i) => `[] saved line ${i}\n`).join('')}`;
    const editor = await open(path, 'w');
    await editor.write(save.slice(0, 20));
    const update = updateTasksFile(path, (text) => text.replace('[] a', '[🟡, 1a2b3c4d] a'));
    // A save held up (a loaded machine, a slow disk) for three times the quiet window.
    await sleep(3 * QUIET_MS);
    await editor.write(save.slice(20));
    await editor.close();
    await update;
    expect(await readFile(path, 'utf8')).toBe(save.replace('[] a', '[🟡, 1a2b3c4d] a'));
  });

  it('keeps its end when the save starts while the file is being judged quiet', async () => {
    const path = join(await tempDir(), 'tasks.md');
    const save = `# Tasks\n\n[] a\n${Array.from({ length: 40 }, (_, i) => `[] saved line ${i}\n`).join('')}`;
    const lost: number[] = [];
    // The save starts 0, 2, 4 … ms after the update: some land after the look for a writer began
    // and before the file is read, where a file judged quiet is no longer the file read.
    for (let delay = 0; delay < 40; delay += 2) {
      await writeFile(path, '# Tasks\n\n[] a\n');
      await sleep(QUIET_MS * 1.5);
      const update = updateTasksFile(path, (text) => text.replace('[] a', '[🟡, 1a2b3c4d] a'));
      await sleep(delay);
      const editor = await open(path, 'w');
      await editor.write(save.slice(0, 20));
      await sleep(40);
      await editor.write(save.slice(20));
      await editor.close();
      await update;
      if (!(await readFile(path, 'utf8')).endsWith('[] saved line 39\n')) lost.push(delay);
    }
    expect(lost).toEqual([]);
  });

  it('keeps its end when the save truncates the file just written, before the next rewrite', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n\n[] a\n[] b\n');
    const save = `# Tasks\n\n[] a\n[] b\n${Array.from({ length: 40 }, (_, i) => `[] saved line ${i}\n`).join('')}`;
    const { ino } = await stat(path);
    const first = updateTasksFile(path, (text) => text.replace('[] a', '[🟡, 1a2b3c4d] a'));
    // The editor opens the file the update just put in place (a new inode) and writes part of its
    // save while the update still looks at the file it replaced.
    while ((await stat(path)).ino === ino) await new Promise((resolve) => setImmediate(resolve));
    const editor = await open(path, 'w');
    await editor.write(save.slice(0, 30));
    await first;
    const second = updateTasksFile(path, (text) => text.replace('[] b', '[🟡, 5e6f7a8b] b'));
    await sleep(40);
    await editor.write(save.slice(30));
    await editor.close();
    await second;
    expect(await readFile(path, 'utf8')).toBe(save.replace('[] b', '[🟡, 5e6f7a8b] b'));
  });
});
