import { resolveRunnable } from './runnable.js';
import type { Task } from './types.js';
import { NameIndex } from './name-index.js';
import { buildWaitGraph, taskWaves } from './wait-graph.js';

/** The waves a run would go through, and the tasks no wave reaches. */
export interface PlannedWaves<T extends Task> {
  /** Wave 1 starts now; each next wave is what the waves before it unblock (tasks as parsed). */
  waves: T[][];
  /** Tasks not done that no wave reaches, with what keeps each waiting once the waves are done. */
  left: T[];
}

/**
 * The waves a run would go through, assuming every task succeeds (SPEC §2.4 applied wave after
 * wave, across sections: `[⏰]` waits on the lines above it, `after:` on the tasks it names). A
 * task that will never be done (an error, in progress, failed) keeps every task waiting on it out
 * of the plan; their `blockedBy` and `blockedVia` are as they will be after the last wave. Their
 * blockedReason() reads right against `tasks` as given: a task that keeps one out of the plan is
 * never done in it, so it has the same state in both.
 * Linear in the file: one pass over the wait graph, not one parse per wave.
 */
export function planTaskWaves<T extends Task>(tasks: readonly T[]): PlannedWaves<T> {
  const names = NameIndex.of(tasks);
  const values = taskWaves(tasks, buildWaitGraph(tasks, names));
  const waves: T[][] = [];
  const after = tasks.map((task, index) => {
    const wave = values[index] ?? Infinity;
    if (task.status === 'done' || !Number.isFinite(wave)) return { ...task };
    while (waves.length < wave) waves.push([]);
    waves[wave - 1]?.push(task);
    return { ...task, status: 'done' as const };
  });
  resolveRunnable(after, names);
  const left: T[] = [];
  tasks.forEach((task, index) => {
    const { blockedBy, blockedVia } = after[index] ?? task;
    if (task.status === 'done' || Number.isFinite(values[index] ?? Infinity)) return;
    left.push({ ...task, runnable: false, blockedBy, blockedVia });
  });
  return { waves, left };
}
