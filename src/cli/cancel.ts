import type { Command } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelRequestPath, runDir } from '../daemon/index.js';
import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { failTask, parseTasks } from '../tasks/index.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';
import { taskById } from './task-by-id.js';

/**
 * `adw-trigger cancel ID`: stops a running task without editing tasks.md by hand. It leaves a
 * cancel request beside the run record (the daemon holding the run stops its agents, merges
 * nothing and keeps the branch; recovery does the same for a daemon that is gone) and marks the
 * line `[❌, ID] … // Failed: cancelled`.
 */
export function registerCancel(program: Command): void {
  const command = program
    .command('cancel')
    .description(
      'stop a running task: nothing is merged, its branch is kept, the line shows ❌ cancelled',
    )
    .argument('<id>', 'the task ID, as shown in [🟡, ID]');
  addRepoOptions(command);
  command.action(async (id: string, options: RepoOptions) => {
    const ctx = await openContext(options);
    const adwDir = join(ctx.root, '.adw');
    let line = 0;
    await updateTasksFile(ctx.tasksPath, async (text) => {
      const task = taskById(parseTasks(text, ctx.parseOptions), id, ctx.tasksName);
      if (task === undefined)
        throw new AdwError('TASK_NOT_FOUND', `${ctx.tasksName}: no task has the ID ${id}`);
      if (task.status !== 'in_progress') {
        throw new AdwError(
          'TASK_STATE',
          `${ctx.tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not in progress; only a running task can be cancelled`,
        );
      }
      const result = failTask(text, id, 'cancelled');
      if (!result.ok)
        throw new AdwError('TASK_STATE', `${ctx.tasksName}:${task.line}: ${result.message}`);
      // The request before the marker: a daemon seeing ❌ on its running task without a request
      // would take it for a forged marker and put 🟡 back.
      await mkdir(runDir(adwDir, id), { recursive: true });
      await writeFile(cancelRequestPath(adwDir, id), `${new Date().toISOString()}\n`);
      line = task.line;
      return result.text;
    });
    process.stdout.write(`${ctx.tasksName}:${line}: task ${id} cancelled\n`);
  });
}
