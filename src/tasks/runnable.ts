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
 * Sets `runnable`, `blockedBy` and `blockedReason` (SPEC §2.4) on the tasks (in line order) and
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
    task.blockedBy = blocker?.line ?? null;
    task.blockedReason = blocker === null ? null : reason(task, blocker, via);
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

// "name build-api, ❌ failed", "above it in section api, [] pending, has an error".
function reason(task: Task, blocker: Task, via: string | null): string {
  const where = via === null ? `above it in section ${task.section}` : `name ${via}`;
  const error = blocker.hasError ? ', has an error' : '';
  return `${where}, ${LABELS[blocker.status]}${error}`;
}
