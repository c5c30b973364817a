import type { Command } from 'commander';
import { join } from 'node:path';
import { readRunRecord, writeRunRecord } from '../daemon/index.js';
import { AdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import { parseTasks, setRecordedMarker } from '../tasks/index.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';
import { taskById } from './task-by-id.js';

/**
 * `adw-trigger retry ID [--done]`: a failed (or, with --done, a finished) task back to `[]`, under
 * the same lock as the daemon. Its run record says `retried`, so the daemon does not put the old
 * marker back: the next claim is a new run.
 */
export function registerRetry(program: Command): void {
  const command = program
    .command('retry')
    .description(
      'put a failed task back to [] (its Failed note dropped) so the daemon runs it again; --done does the same for a finished task',
    )
    .argument('<id>', 'the task ID, as shown in [❌, ID] (or [✅ HASH, ID] with --done)')
    .option('--done', 'run a finished (✅) task again too');
  addRepoOptions(command);
  command.action(async (id: string, options: RepoOptions & { done?: boolean }) => {
    const ctx = await openContext(options);
    const adwDir = join(ctx.root, '.adw');
    const allowed = options.done === true ? ['failed', 'done'] : ['failed'];
    let line = 0;
    await updateTasksFile(ctx.tasksPath, async (text) => {
      const task = taskById(parseTasks(text, ctx.parseOptions), id, ctx.tasksName);
      if (task === undefined)
        throw new AdwError('TASK_NOT_FOUND', `${ctx.tasksName}: no task has the ID ${id}`);
      if (!allowed.includes(task.status) || task.manual) {
        const hint = task.status === 'done' ? '; add --done to run a finished task again' : '';
        throw new AdwError(
          'TASK_STATE',
          `${ctx.tasksName}:${task.line}: task ${id} is ${task.status.replace('_', ' ')}, not ${allowed.join(' or ')}; only such a task can be retried${hint}`,
        );
      }
      const result = setRecordedMarker(text, task, { status: 'pending' });
      if (!result.ok)
        throw new AdwError('TASK_STATE', `${ctx.tasksName}:${task.line}: ${result.message}`);
      // Record first: once the line shows `[]`, a record still saying done would be put back.
      const record = await readRunRecord(adwDir, id);
      if (record !== null) await writeRunRecord(adwDir, { ...record, status: 'retried' });
      line = task.line;
      return result.text;
    });
    process.stdout.write(`${ctx.tasksName}:${line}: task ${id} is pending again\n`);
  });
}
