// Benchmark: per-task overhead. N tasks at concurrency 1 with an agent that writes one file and
// commits: wall time from saving the N tasks to the last ✅, divided by N, against the floor of
// the same git operations and agent run directly from a script (floor.mjs). The daemon's JSON
// log splits each task into its run (worktree, agent, commit, merge) and the gap to the next
// task's start (writing ✅ into tasks.md, run records, the next scan).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFloor, runSpawnFloor } from './floor.mjs';
import {
  countMarkers,
  makeTaskRepo,
  median,
  saveByRename,
  startDaemon,
  waitForText,
} from './lib.mjs';

/** Adds N tasks to a running daemon's file and waits until all have ended; returns the time. */
export async function runTasksThroughDaemon(repo, count, taskName) {
  const path = join(repo, 'tasks.md');
  const lines = Array.from({ length: count }, (_, i) => `[] ${taskName} ${i}\n`).join('');
  const ended = waitForText(
    path,
    (text) => countMarkers(text, '✅') + countMarkers(text, '❌') === count,
    { timeoutMs: 240_000 },
  );
  const start = performance.now();
  await saveByRename(path, `# Tasks\n\n${lines}`);
  const end = await ended;
  return { totalMs: end - start };
}

// Per task from the daemon's log: run = `task started` → `task done`; gap = `task done` → the
// next task's `task started` (concurrency 1, so tasks run strictly one after another).
function breakdown(logs) {
  const started = logs.filter((entry) => entry.msg === 'task started').map((entry) => entry.time);
  const done = logs.filter((entry) => entry.msg === 'task done').map((entry) => entry.time);
  const runs = done.map((time, i) => time - started[i]);
  const gaps = done.slice(0, -1).map((time, i) => started[i + 1] - time);
  return { runMs: median(runs), gapMs: median(gaps) };
}

/** Per-task time of the daemon against the floor at concurrency 1. */
export async function benchOverhead(count = 20) {
  const repo = await makeTaskRepo('commit', { concurrency: 1 });
  const daemon = await startDaemon(repo);
  let result;
  try {
    result = await runTasksThroughDaemon(repo, count, 'overhead task');
  } finally {
    await daemon.stop();
  }
  const text = await readFile(join(repo, 'tasks.md'), 'utf8');
  if (countMarkers(text, '✅') !== count) {
    throw new Error(`per-task overhead: not every task succeeded:\n${text}\n${daemon.output()}`);
  }
  const floor = await runFloor(count, 1);
  const spawnFloor = await runSpawnFloor(count, 1);
  const perTaskMs = result.totalMs / count;
  return {
    name: `per-task time (N=${count}, concurrency 1)`,
    medianMs: perTaskMs,
    floorMs: floor.perTaskMs,
    ratio: perTaskMs / floor.perTaskMs,
    spawnFloorMs: spawnFloor?.perTaskMs ?? null,
    floorPhases: floor.phases,
    ...breakdown(daemon.logs()),
  };
}
