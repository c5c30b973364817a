import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchStatus } from '../../src/cli/status-watch.js';
import { waitFor } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

// Saves as editors do: a temp file renamed over the old one, so no reader sees half a file.
async function save(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

describe('status --watch', () => {
  it('draws one frame at a time, only when the text changes, and shows the last edit', async () => {
    const dir = await tempDir();
    const tasksPath = join(dir, 'tasks.md');
    await writeFile(tasksPath, 'edit 0\n');
    const writes: string[] = [];
    let drawing = 0;
    let overlaps = 0;
    let frames = 0;
    let stop = (): void => undefined;
    const watching = watchStatus({
      tasksPath,
      frame: async () => {
        drawing += 1;
        if (drawing > 1) overlaps += 1;
        frames += 1;
        const text = await readFile(tasksPath, 'utf8');
        await new Promise((resolve) => setImmediate(resolve));
        drawing -= 1;
        return { text, live: false };
      },
      write: (text) => writes.push(text),
      onError: (error) => {
        throw error;
      },
      stopRequested: new Promise<void>((resolve) => (stop = resolve)),
    });
    await waitFor(() => (writes.length === 1 ? true : null), 20_000, 'the first frame');
    for (let edit = 1; edit <= 30; edit += 1) await save(tasksPath, `edit ${edit}\n`);
    await waitFor(
      () => (writes.at(-1)?.endsWith('edit 30\n') === true ? true : null),
      20_000,
      'the last edit',
    );
    const framesBefore = frames;
    const writesBefore = writes.length;
    // The same bytes again: a frame is read, and nothing is drawn.
    await save(tasksPath, 'edit 30\n');
    await waitFor(() => (frames > framesBefore ? true : null), 20_000, 'a frame after the rewrite');
    stop();
    await watching;
    expect(overlaps).toBe(0);
    expect(writes.length).toBe(writesBefore);
    expect(writes.filter((text, index) => text === writes[index - 1])).toEqual([]);
  });
});
