import { join } from 'node:path';
import type { Command } from 'commander';
import { readRunRecord } from '../daemon/index.js';
import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { findTaskById, parseTasks, resetTask } from '../tasks/index.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';

/** `adw-trigger retry ID`: a failed task back to `[]`, under the same lock as the daemon. */
export function registerRetry(program: Command): void {
  const command = program
    .command('retry')
    .description(
      'put a failed task back to [] (its Failed note dropped) so the daemon runs it again',
    )
    .argument('<id>', 'the task ID, as shown in [❌, ID]');
  addRepoOptions(command);
  command.action(async (id: string, options: RepoOptions) => {
    const ctx = await openContext(options);
    // A retried task loses its ID; its run record still names the task it was.
    const record = await readRunRecord(join(ctx.root, '.adw'), id);
    let line = 0;
    await updateTasksFile(ctx.tasksPath, (text) => {
      const file = parseTasks(text, ctx.parseOptions);
      const task = findTaskById(file, id);
      if (task === undefined) {
        const pending = file.tasks.find(
          (other) => other.status === 'pending' && other.description === record?.task,
        );
        if (pending !== undefined) {
          throw new AdwError(
            'TASK_STATE',
            `${ctx.tasksName}:${pending.line}: task ${id} is already pending again (retried before)`,
          );
        }
        throw new AdwError('TASK_NOT_FOUND', `${ctx.tasksName}: no task has the ID ${id}`);
      }
      // A duplicated ID names no task in particular: resetting the first one could be the wrong one.
      const lines = file.tasks.filter((other) => other.id === id).map((other) => other.line);
      if (lines.length > 1) {
        throw new AdwError(
          'TASK_STATE',
          `${ctx.tasksName}: ID ${id} is used on lines ${lines.join(' and ')}; give one of them another ID first`,
        );
      }
      if (task.status !== 'failed') {
        throw new AdwError(
          'TASK_STATE',
          `${ctx.tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not failed; only a failed task can be retried`,
        );
      }
      const result = resetTask(text, id);
      if (!result.ok)
        throw new AdwError('TASK_STATE', `${ctx.tasksName}:${task.line}: ${result.message}`);
      line = task.line;
      return result.text;
    });
    process.stdout.write(`${ctx.tasksName}:${line}: task ${id} is pending again\n`);
  });
}
