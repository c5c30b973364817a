import type { Task } from './types.js';

/**
 * Sets `runnable` and `blockedBy` (SPEC §2.4) on the tasks (in line order) and returns them. Pending runs now;
 * blocked runs once every task above it in its section is done (✅ or [x]), otherwise
 * `blockedBy` is the line of the first task above that is not done. A task with an error never
 * runs, and unless it is done it keeps the blocked tasks below it waiting.
 */
export function resolveRunnable<T extends Task>(tasks: T[]): T[] {
  // Sets the fields in place: the parser owns these objects, and copying 10,000 tasks shows.
  const firstNotDone = new Map<string, number>();
  for (const task of tasks) {
    const blocker = firstNotDone.get(task.section) ?? null;
    if (task.status !== 'done' && blocker === null) firstNotDone.set(task.section, task.line);
    task.blockedBy = task.status === 'blocked' ? blocker : null;
    task.runnable =
      !task.hasError &&
      (task.status === 'pending' || (task.status === 'blocked' && blocker === null));
  }
  return tasks;
}
