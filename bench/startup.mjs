// Benchmark: CLI start-up, `--version` and `check` on a 2-line file, against `node -e 0` timed in
// the same run (issue 15: within 2×). Run `npm run build` first (spawns dist/cli/main.js).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RUNS = 9;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeSpawn(args, cwd) {
  const times = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    try {
      execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
    } catch {
      // check exits 1 on an error diagnostic; the time is what matters here.
    }
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Median wall time of `--version` and `check`, each with `node -e 0` as its floor. */
export async function benchStartup() {
  const dir = mkdtempSync(join(tmpdir(), 'adw-bench-startup-'));
  try {
    writeFileSync(join(dir, 'tasks.md'), '[] a task\n[] another\n');
    const results = [];
    for (const [name, args] of [
      ['adw-trigger --version', [CLI, '--version']],
      ['adw-trigger check, 2-line file', [CLI, 'check', 'tasks.md']],
    ]) {
      const floorMs = timeSpawn(['-e', '0'], dir);
      const medianMs = timeSpawn(args, dir);
      results.push({ name, medianMs, floorMs, ratio: medianMs / floorMs });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
