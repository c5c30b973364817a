import type { Command } from 'commander';
import { retryTask } from '../actions/retry-task.js';
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
    const { line } = await retryTask(ctx, id);
    process.stdout.write(`${ctx.tasksName}:${line}: task ${id} is pending again\n`);
  });
}
