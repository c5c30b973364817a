// Benchmark: throughput. 200 tasks at concurrency 8 with a fast agent (writes a file, commits,
// logs its ADW_ID): tasks per second from saving the tasks to the last ✅, checking that every
// task ended ✅ and that no task ran twice. Floor: the same git operations and agent run directly
// from a script, 8 at a time (floor.mjs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFloor, runSpawnFloor } from './floor.mjs';
import { countMarkers, makeTaskRepo, startDaemon, tempDir } from './lib.mjs';
import { runTasksThroughDaemon } from './overhead.mjs';

/** Tasks per second of the daemon and of the floor; throws if a task failed or ran twice. */
export async function benchThroughput(count = 200, concurrency = 8) {
  const log = join(await tempDir('adw-bench-log-'), 'ids.log');
  const repo = await makeTaskRepo('commit', { concurrency });
  const daemon = await startDaemon(repo, [], { BENCH_ID_LOG: log });
  let result;
  try {
    result = await runTasksThroughDaemon(repo, count, 'throughput task');
  } finally {
    await daemon.stop();
  }
  const text = await readFile(join(repo, 'tasks.md'), 'utf8');
  const done = countMarkers(text, '✅');
  const ids = [...text.matchAll(/^\[✅ [0-9a-f]+, ([A-Za-z0-9_-]+)\]/gmu)].map((match) => match[1]);
  const started = (await readFile(log, 'utf8')).trim().split('\n');
  const unique = new Set(started);
  const checks = {
    done,
    agentRuns: started.length,
    distinctIds: unique.size,
    ranTwice: started.length - unique.size,
    logMatchesFile: ids.length === unique.size && ids.every((id) => unique.has(id)),
  };
  if (
    done !== count ||
    checks.ranTwice !== 0 ||
    !checks.logMatchesFile ||
    started.length !== count
  ) {
    throw new Error(`throughput: ${JSON.stringify(checks)}\n${text}\n${daemon.output()}`);
  }
  const floor = await runFloor(count, concurrency);
  const spawnFloor = await runSpawnFloor(count, concurrency);
  const perSecond = (count * 1000) / result.totalMs;
  const floorPerSecond = (count * 1000) / floor.totalMs;
  return {
    name: `throughput (${count} tasks, concurrency ${concurrency})`,
    perSecond,
    floorPerSecond,
    spawnFloorPerSecond: spawnFloor === null ? null : (count * 1000) / spawnFloor.totalMs,
    ratio: floorPerSecond / perSecond,
    totalMs: result.totalMs,
    floorTotalMs: floor.totalMs,
    checks,
  };
}
