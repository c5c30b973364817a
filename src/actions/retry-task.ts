import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { findTaskById, parseTasks, resetTask } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';

/** The task file a retry works on. */
export interface RetryTarget {
  tasksPath: string;
  /** The file's name as the user knows it, for messages. */
  tasksName: string;
  parseOptions: ParseOptions;
}

/**
 * Puts a failed task back to `[]` (its Failed note dropped), under the same lock as the daemon.
 * Used by `adw-trigger retry` and the HTTP API. Returns the task's line.
 */
export async function retryTask(target: RetryTarget, id: string): Promise<{ line: number }> {
  const { tasksName } = target;
  let line = 0;
  await updateTasksFile(target.tasksPath, (text) => {
    const file = parseTasks(text, target.parseOptions);
    const task = findTaskById(file, id);
    if (task === undefined)
      throw new AdwError('TASK_NOT_FOUND', `${tasksName}: no task has the ID ${id}`);
    // A duplicated ID names no task in particular: resetting the first one could be the wrong one.
    const lines = file.tasks.filter((other) => other.id === id).map((other) => other.line);
    if (lines.length > 1) {
      throw new AdwError(
        'TASK_STATE',
        `${tasksName}: ID ${id} is used on lines ${lines.join(' and ')}; give one of them another ID first`,
      );
    }
    if (task.status !== 'failed') {
      throw new AdwError(
        'TASK_STATE',
        `${tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not failed; only a failed task can be retried`,
      );
    }
    const result = resetTask(text, id);
    if (!result.ok)
      throw new AdwError('TASK_STATE', `${tasksName}:${task.line}: ${result.message}`);
    line = task.line;
    return result.text;
  });
  return { line };
}
