// Benchmark: CLI start-up, `--version` and `check` on a 2-line file, against `node -e 0` timed in
// the same run (issue 15: within 2×). Run `npm run build` first (spawns dist/cli/main.js).
// `node bench/startup.mjs` prints the rows on their own.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RUNS = 9;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeOnce(args, cwd) {
  const start = performance.now();
  try {
    execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
  } catch {
    // check exits 1 on an error diagnostic; the time is what matters here.
  }
  return performance.now() - start;
}

// Median wall time of `args` and of the floor, run by turns so that both see the same load.
function timeAgainstFloor(args, cwd) {
  const times = [];
  const floors = [];
  for (let index = 0; index < RUNS; index += 1) {
    floors.push(timeOnce(['-e', '0'], cwd));
    times.push(timeOnce(args, cwd));
  }
  return { medianMs: median(times), floorMs: median(floors) };
}

/**
 * Median wall time of `--version` and `check`, each with `node -e 0` as its floor. The last row
 * is `check` in a folder whose adw-trigger.json sets a key: the one case that loads the schema.
 */
export async function benchStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'adw-bench-startup-'));
  try {
    writeFileSync(join(dir, 'tasks.md'), '[] a task\n[] another\n');
    const configured = join(dir, 'configured');
    mkdirSync(configured);
    writeFileSync(join(configured, 'adw-trigger.json'), '{"concurrency": 2}\n');
    writeFileSync(join(configured, 'tasks.md'), '[] a task\n[] another\n');
    const results = [];
    for (const [name, args, cwd] of [
      ['adw-trigger --version', [CLI, '--version'], dir],
      ['adw-trigger check, 2-line file', [CLI, 'check', 'tasks.md'], dir],
      ['adw-trigger check, 2-line file, a config key set', [CLI, 'check', 'tasks.md'], configured],
    ]) {
      const { medianMs, floorMs } = timeAgainstFloor(args, cwd);
      results.push({ name, medianMs, floorMs, ratio: medianMs / floorMs });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await benchStartup()) {
    console.log(
      `${result.name}: median ${result.medianMs.toFixed(1)} ms, floor (node -e 0) ${result.floorMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)}×`,
    );
  }
}
