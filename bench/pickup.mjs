// Benchmark: pickup latency. From saving tasks.md with a new `[] task` line (by rename, as
// editors save, and by plain append) to the daemon's `🟡` on disk, against a floor: the same
// save noticed by a plain fs.watch listener in this process (event + read). The daemon claims
// only free slots, so each save waits until the task before it has ended (✅ or ❌): every save
// finds the daemon idle with its one slot free.
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  median,
  makeTaskRepo,
  percentile,
  sleep,
  startDaemon,
  tempDir,
  waitForText,
} from './lib.mjs';

const SAVES_PER_MODE = Number(process.env.BENCH_SAVES ?? 30);
// Pause after the task before has ended, so its outcome write and the scan after it are over.
const PAUSE_MS = 80;

async function save(mode, path, line) {
  if (mode === 'append') {
    const start = performance.now();
    await appendFile(path, `${line}\n`);
    return start;
  }
  const text = await readFile(path, 'utf8');
  const temp = `${path}.bench.tmp`;
  await writeFile(temp, `${text}${line}\n`);
  const start = performance.now();
  await rename(temp, path);
  return start;
}

// Time from the save to `check` seeing the file's new text.
async function timeSave(mode, path, line, check) {
  const seen = waitForText(path, check, { timeoutMs: 20_000 });
  const start = await save(mode, path, line);
  return (await seen) - start;
}

/** Pickup latency per save mode: median and p95 of the daemon and of the floor, in ms. */
export async function benchPickup() {
  // Concurrency 1 and a quick agent that commits; the next save waits for the task's outcome.
  const repo = await makeTaskRepo('commit', { concurrency: 1 });
  const floorDir = await tempDir('adw-bench-floor-');
  const floorPath = join(floorDir, 'tasks.md');
  await writeFile(floorPath, '# Tasks\n\n');
  const tasksPath = join(repo, 'tasks.md');
  const daemon = await startDaemon(repo);
  const samples = { rename: { daemon: [], floor: [] }, append: { daemon: [], floor: [] } };
  try {
    for (let i = 0; i < 2 * SAVES_PER_MODE; i++) {
      const mode = i % 2 === 0 ? 'rename' : 'append';
      const description = `pickup ${mode} ${i}`;
      const line = `[] ${description}`;
      samples[mode].floor.push(
        await timeSave(mode, floorPath, line, (text) => text.includes(`${line}\n`)),
      );
      const claimed = new RegExp(`^\\[🟡, [A-Za-z0-9_-]+\\] ${description}$`, 'mu');
      const ended = new RegExp(`^\\[(?:✅|❌)[^\\]\\n]*\\] ${description}$`, 'mu');
      samples[mode].daemon.push(
        await timeSave(mode, tasksPath, line, (text) => claimed.test(text) || ended.test(text)),
      );
      await waitForText(tasksPath, (text) => ended.test(text), { timeoutMs: 60_000 }).catch(
        (error) => {
          throw new Error(`${String(error)}\n${daemon.output()}`);
        },
      );
      await sleep(PAUSE_MS);
    }
  } finally {
    await daemon.stop();
  }
  return Object.entries(samples).map(([mode, { daemon: d, floor: f }]) => ({
    name: `pickup latency (${mode} save, n=${d.length})`,
    medianMs: median(d),
    p95Ms: percentile(d, 95),
    floorMs: median(f),
    floorP95Ms: percentile(f, 95),
    ratio: median(d) / median(f),
  }));
}
