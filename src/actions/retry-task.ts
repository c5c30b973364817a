import { join } from 'node:path';
import { readRunRecord, writeRunRecord } from '../runs/index.js';
import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { parseTasks, setRecordedMarker } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import { taskById } from './task-by-id.js';

/** The task file a command changes by a task's ID. */
export interface TaskTarget {
  /** Repository root: the run records live in its `.adw/`. */
  root: string;
  tasksPath: string;
  /** The file's name as the user knows it, for messages. */
  tasksName: string;
  parseOptions: ParseOptions;
}

/**
 * Puts a failed (or, with `done`, a finished) task back to `[]` under the same lock as the daemon.
 * Its run record says `retried`, so the daemon does not put the old marker back: the next claim is
 * a new run. Used by `adw-trigger retry` and the HTTP API. Returns the task's line.
 */
export async function retryTask(
  target: TaskTarget,
  id: string,
  options: { done?: boolean } = {},
): Promise<{ line: number }> {
  const { tasksName } = target;
  const adwDir = join(target.root, '.adw');
  const allowed = options.done === true ? ['failed', 'done'] : ['failed'];
  let line = 0;
  await updateTasksFile(target.tasksPath, async (text) => {
    const file = parseTasks(text, target.parseOptions);
    const task = taskById(file, id, tasksName);
    if (task === undefined) {
      // A retried task loses its ID; its run record still names the task it was.
      const record = await readRunRecord(adwDir, id);
      const again =
        record?.status === 'retried'
          ? file.tasks.find(
              (other) => other.status === 'pending' && other.description === record.task,
            )
          : undefined;
      if (again !== undefined) {
        throw new AdwError(
          'TASK_STATE',
          `${tasksName}:${again.line}: task ${id} is already pending again (retried before)`,
        );
      }
      throw new AdwError('TASK_NOT_FOUND', `${tasksName}: no task has the ID ${id}`);
    }
    if (!allowed.includes(task.status) || task.manual) {
      const hint = task.status === 'done' ? '; add --done to run a finished task again' : '';
      throw new AdwError(
        'TASK_STATE',
        `${tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not ${allowed.join(' or ')}; only such a task can be retried${hint}`,
      );
    }
    const result = setRecordedMarker(text, task, { status: 'pending' });
    if (!result.ok)
      throw new AdwError('TASK_STATE', `${tasksName}:${task.line}: ${result.message}`);
    // Record first: once the line shows `[]`, a record still saying done would be put back.
    const record = await readRunRecord(adwDir, id);
    if (record !== null) await writeRunRecord(adwDir, { ...record, status: 'retried' });
    line = task.line;
    return result.text;
  });
  return { line };
}
