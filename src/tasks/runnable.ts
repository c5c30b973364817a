import { NO_NAME_INDEX, type NameIndex } from './name-index.js';
import type { Task, TaskStatus } from './types.js';

const LABELS: Record<TaskStatus, string> = {
  pending: '[] pending',
  blocked: '[⏰] blocked',
  in_progress: '🟡 in progress',
  done: 'done',
  failed: '❌ failed',
};

/**
 * Sets `runnable`, `blockedBy` and `blockedVia` (SPEC §2.4) on the tasks (in line order) and
 * returns them. Pending runs now; blocked runs once every task above it in its section is done
 * (✅ or [x]); either waits until every task its `after:` names name is done, in any section.
 * `blockedBy` is the line of the first task that keeps it waiting: the first unfinished task
 * above a blocked one, else the first unfinished task of its `after:` names, in their order (a
 * failed one keeps it waiting: it does not fail with it). A task with an error never runs, and
 * unless it is done it keeps the tasks that wait on it waiting.
 */
export function resolveRunnable<T extends Task>(tasks: T[], names: NameIndex = NO_NAME_INDEX): T[] {
  // Sets the fields in place: the parser owns these objects, and copying 10,000 tasks shows.
  const firstNotDone = new Map<string, T>();
  for (const task of tasks) {
    const above = firstNotDone.get(task.section) ?? null;
    if (task.status !== 'done' && above === null) firstNotDone.set(task.section, task);
    let blocker: T | null = null;
    let via: string | null = null;
    if (task.status === 'blocked' && above !== null) blocker = above;
    else if (task.after.length > 0 && (task.status === 'pending' || task.status === 'blocked')) {
      const { after } = task;
      for (let at = 0; at < after.length; at += 1) {
        const name = after[at] ?? '';
        const carrier = firstUnfinished(tasks, names, name);
        if (carrier === null) continue;
        blocker = carrier;
        via = name;
        break;
      }
    }
    // The reason in words is made only when asked for (blockedReason): a string per waiting
    // task, kept alive by the result, made a parse of 10,000 named tasks 10–20% slower.
    task.blockedBy = blocker?.line ?? null;
    task.blockedVia = via;
    task.runnable =
      !task.hasError &&
      blocker === null &&
      (task.status === 'pending' || task.status === 'blocked');
  }
  return tasks;
}

function firstUnfinished<T extends Task>(tasks: T[], names: NameIndex, name: string): T | null {
  const carriers = names.carriers(name);
  if (typeof carriers === 'number') return unfinished(tasks[carriers]);
  for (const at of carriers) {
    const found = unfinished(tasks[at]);
    if (found !== null) return found;
  }
  return null;
}

function unfinished<T extends Task>(task: T | undefined): T | null {
  return task !== undefined && task.status !== 'done' ? task : null;
}

/**
 * Why `blockedBy` keeps `task` waiting, e.g. `name build-api, ❌ failed` or `above it in section
 * api, [] pending, has an error`; null when it does not wait. `tasks` is the file's tasks in line
 * order, where the blocker is found by its line.
 */
export function blockedReason(task: Task, tasks: readonly Task[]): string | null {
  if (task.blockedBy === null) return null;
  const blocker = taskAtLine(tasks, task.blockedBy);
  if (blocker === undefined) return null;
  const where =
    task.blockedVia === null ? `above it in section ${task.section}` : `name ${task.blockedVia}`;
  const error = blocker.hasError ? ', has an error' : '';
  return `${where}, ${LABELS[blocker.status]}${error}`;
}

// Binary search: tasks are in line order.
function taskAtLine(tasks: readonly Task[], line: number): Task | undefined {
  let low = 0;
  let high = tasks.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const task = tasks[middle];
    if (task === undefined || task.line === line) return task;
    if (task.line < line) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}
