import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Pids of the processes whose working directory is DIR or below it (Linux /proc). */
export async function processesIn(dir: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = await readlink(join('/proc', entry, 'cwd'));
      if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to look at.
    }
  }
  return found;
}
