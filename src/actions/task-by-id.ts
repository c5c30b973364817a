import { AdwError } from '../errors.js';
import { findTaskById } from '../tasks/index.js';
import type { Task, TaskFile } from '../tasks/index.js';

/**
 * The one line carrying `id`, for commands that change a task by its ID; undefined when no line
 * has it. A duplicated ID names no task in particular: changing the first one could be the wrong
 * one, so it is refused.
 */
export function taskById(file: TaskFile, id: string, tasksName: string): Task | undefined {
  const task = findTaskById(file, id);
  const lines = file.tasks.filter((other) => other.id === id).map((other) => other.line);
  if (lines.length > 1) {
    throw new AdwError(
      'TASK_STATE',
      `${tasksName}: ID ${id} is used on lines ${lines.join(' and ')}; give one of them another ID first`,
    );
  }
  return task;
}
