import type { Command } from 'commander';
import { retryTask } from '../actions/retry-task.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';

/** `adw-trigger retry ID [--done]`: a failed (or finished) task back to `[]`, run again as a new run. */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'retry',
    'put a failed task back to [] (its Failed note dropped) so the daemon runs it again; --done does the same for a finished task',
  )
    .argument('<id>', 'the task ID, as shown in [❌, ID] (or [✅ HASH, ID] with --done)')
    .option('--done', 'run a finished (✅) task again too')
    .action(async (id: string, options: RepoOptions & { done?: boolean }) => {
      const ctx = await openContext(options);
      const { line } = await retryTask(ctx, id, { done: options.done === true });
      process.stdout.write(`${ctx.tasksName}:${line}: task ${id} is pending again\n`);
    });
}
