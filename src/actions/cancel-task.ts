import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelRequestPath, runDir } from '../runs/index.js';
import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { failTask, parseTasks } from '../tasks/index.js';
import type { TaskTarget } from './retry-task.js';
import { taskById } from './task-by-id.js';

/**
 * Stops a running task without editing tasks.md by hand: leaves a cancel request beside the run
 * record (the daemon holding the run stops its agents, merges nothing and keeps the branch;
 * recovery does the same for a daemon that is gone) and marks the line `[❌, ID] … // Failed:
 * cancelled`. Used by `adw-trigger cancel` and the HTTP API. Returns the task's line.
 */
export async function cancelTask(target: TaskTarget, id: string): Promise<{ line: number }> {
  const { tasksName } = target;
  const adwDir = join(target.root, '.adw');
  let line = 0;
  await updateTasksFile(target.tasksPath, async (text) => {
    const task = taskById(parseTasks(text, target.parseOptions), id, tasksName);
    if (task === undefined)
      throw new AdwError('TASK_NOT_FOUND', `${tasksName}: no task has the ID ${id}`);
    if (task.status !== 'in_progress') {
      throw new AdwError(
        'TASK_STATE',
        `${tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not in progress; only a running task can be cancelled`,
      );
    }
    const result = failTask(text, id, 'cancelled');
    if (!result.ok)
      throw new AdwError('TASK_STATE', `${tasksName}:${task.line}: ${result.message}`);
    // The request before the marker: a daemon seeing ❌ on its running task without a request
    // would take it for a forged marker and put 🟡 back.
    await mkdir(runDir(adwDir, id), { recursive: true });
    await writeFile(cancelRequestPath(adwDir, id), `${new Date().toISOString()}\n`);
    line = task.line;
    return result.text;
  });
  return { line };
}
