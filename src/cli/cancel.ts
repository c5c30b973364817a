import type { Command } from 'commander';
import { cancelTask } from '../actions/cancel-task.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';

/** `adw-trigger cancel ID`: stops a running task; the line shows `❌ … // Failed: cancelled`. */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'cancel',
    'stop a running task: nothing is merged, its branch is kept, the line shows ❌ cancelled',
  )
    .argument('<id>', 'the task ID, as shown in [🟡, ID]')
    .action(async (id: string, options: RepoOptions) => {
      const ctx = await openContext(options);
      const { line } = await cancelTask(ctx, id);
      process.stdout.write(`${ctx.tasksName}:${line}: task ${id} cancelled\n`);
    });
}
