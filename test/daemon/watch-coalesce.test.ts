import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serialRunner } from '../../src/daemon/serial.js';
import { watchTasksFile, type StopWatching } from '../../src/daemon/watcher.js';
import { tempDir } from '../helpers/temp.js';

const stops: StopWatching[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

/**
 * The daemon's pickup loop on a real file: fs.watch on the folder, each event asks the serial
 * runner for a read; a read takes a few milliseconds (as parsing does), so events arrive during
 * it and are folded into one more read.
 */
async function watchReads(
  path: string,
  duringRead: (text: string) => Promise<void> = () => Promise.resolve(),
): Promise<{
  texts: string[];
  overlapped: () => number;
  idle: () => Promise<void> | null;
}> {
  const texts: string[] = [];
  let inside = 0;
  let overlapped = 0;
  const runner = serialRunner(
    async () => {
      inside++;
      if (inside > 1) overlapped++;
      const text = await readFile(path, 'utf8');
      texts.push(text);
      await duringRead(text);
      await sleep(5);
      inside--;
    },
    {
      onError: (error) => {
        throw error;
      },
      stopped: () => false,
    },
  );
  await new Promise<void>((resolve) => {
    stops.push(
      watchTasksFile(path, () => void runner.request(), { poll: false, onReady: resolve }),
    );
  });
  return { texts, overlapped: () => overlapped, idle: runner.current };
}

describe('pickup without a debounce', () => {
  it('sees every one of 300 appends made back to back, reading far fewer times, never two reads at once', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n\n');
    const reads = await watchReads(path);
    const lines = Array.from({ length: 300 }, (_, i) => `[] task ${i}\n`);
    for (const line of lines) await appendFile(path, line);
    const final = `# Tasks\n\n${lines.join('')}`;
    // The last read after the burst holds the last edit: none is lost in the folding.
    await vi.waitFor(
      () => {
        expect(reads.texts.at(-1)).toBe(final);
      },
      { timeout: 20_000 },
    );
    await reads.idle();
    expect(reads.texts.at(-1)).toBe(final);
    expect(reads.texts.length).toBeLessThan(lines.length);
    expect(reads.overlapped()).toBe(0);
    // Each read saw the file as it was at one moment of the burst, in order.
    const counts = reads.texts.map((text) => text.split('\n').length);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('ends on the last of 200 saves made by rename, as editors save', async () => {
    const dir = await tempDir();
    const path = join(dir, 'tasks.md');
    await writeFile(path, '# Tasks\n\n');
    const reads = await watchReads(path);
    const version = (i: number): string => `# Tasks\n\n[] save ${i}\n`;
    for (let i = 0; i < 200; i++) {
      const temp = join(dir, `.tasks.md.${i}.tmp`);
      await writeFile(temp, version(i));
      await rename(temp, path);
    }
    await vi.waitFor(
      () => {
        expect(reads.texts.at(-1)).toBe(version(199));
      },
      { timeout: 20_000 },
    );
    expect(reads.texts.length).toBeLessThan(200);
    expect(reads.overlapped()).toBe(0);
  });

  it('reads once more after an edit that lands while a read is under way, after its bytes were read', async () => {
    const path = join(await tempDir(), 'tasks.md');
    await writeFile(path, '# Tasks\n\n');
    let next = 0;
    // Each read up to the 20th appends a line once it has read the file: that edit's event
    // arrives during the read, and only a folded-in next read can see it.
    const reads = await watchReads(path, async (text) => {
      if (next < 20 && text.includes(`[] task ${String(next - 1)}\n`) === next > 0) {
        await appendFile(path, `[] task ${String(next)}\n`);
        next++;
        await sleep(2);
      }
    });
    await appendFile(path, '\n');
    await vi.waitFor(
      () => {
        expect(reads.texts.at(-1)).toContain('[] task 19\n');
      },
      { timeout: 20_000 },
    );
    expect(reads.overlapped()).toBe(0);
  });
});
