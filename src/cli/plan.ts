import type { Command } from 'commander';
import { agentSpecOf } from '../agents/index.js';
import { AdwError } from '../errors.js';
import { readTasksFile } from '../store/index.js';
import { blockedReason, parseTasks, planTaskWaves } from '../tasks/index.js';
import type { ParseOptions, PlannedWaves, Task } from '../tasks/index.js';
import { describeHooks } from '../hooks/describe-hooks.js';
import { modelOfTask, openContext } from './context.js';
import type { CommandContext, RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';
import { preflight } from './preflight.js';
import { printable } from './terminal-text.js';

/**
 * The waves a run of `text` would go through (planTaskWaves), the tasks no wave reaches, and all
 * the file's tasks (to read blockedReason against).
 */
export function planWaves(
  text: string,
  options: ParseOptions,
): PlannedWaves<Task> & { tasks: Task[] } {
  const { tasks } = parseTasks(text, options);
  return { ...planTaskWaves(tasks), tasks };
}

function describe(ctx: CommandContext, task: Task): string {
  const model = modelOfTask(ctx, task) ?? 'default model';
  return printable(
    `line ${String(task.line).padEnd(4)} ${task.section}  ${task.workflow}/${model}  ${task.description}`,
  );
}

// What a task of a later wave waits on now: "  (waits on line 4: name api, [] pending)".
function waitsOn(task: Task, tasks: readonly Task[]): string {
  if (task.blockedBy === null) return '';
  const why = blockedReason(task, tasks) ?? 'not done';
  return printable(`  (waits on line ${String(task.blockedBy)}: ${why})`);
}

/** `adw-trigger plan`: what would start now and the waves after it; runs nothing. */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'plan',
    'show what would start now and the waves after it (assuming each succeeds), without running anything',
  )
    .option('--json', 'print JSON')
    .action(async (options: RepoOptions & { json?: boolean }) => {
      const ctx = await openContext(options);
      // What start refuses, plan refuses too: it never shows waves that would not start.
      await preflight(ctx.repo, ctx.loaded.config, agentSpecOf(ctx.loaded.config, ctx.root));
      const snapshot = await readTasksFile(ctx.tasksPath);
      if (snapshot.encodingError !== null) {
        throw new AdwError(
          'TASKS_FILE_NOT_UTF8',
          `${ctx.tasksName}: ${snapshot.encodingError.message}`,
        );
      }
      const { waves, left, tasks: all } = planWaves(snapshot.text, ctx.parseOptions);
      if (options.json === true) {
        const lines = (tasks: Task[]): number[] => tasks.map((task) => task.line);
        const tasks = waves.flat().map((task) => ({
          line: task.line,
          section: task.section,
          workflow: task.workflow,
          model: modelOfTask(ctx, task),
          name: task.name,
          after: task.after,
          blockedBy: task.blockedBy,
          blockedReason: blockedReason(task, all),
        }));
        process.stdout.write(
          JSON.stringify({ waves: waves.map(lines), notPlanned: lines(left), tasks }, null, 2) +
            '\n',
        );
        return;
      }
      if (waves.length === 0) process.stdout.write('Nothing would start now.\n');
      const concurrency = ctx.loaded.config.concurrency;
      waves.forEach((wave, index) => {
        const when =
          index === 0 ? `starts now, ${concurrency} at a time` : `after wave ${index} succeeds`;
        const rows = wave.map((task) => `  ${describe(ctx, task)}${waitsOn(task, all)}\n`).join('');
        process.stdout.write(`Wave ${index + 1} (${when}):\n${rows}`);
      });
      if (left.length > 0) {
        process.stdout.write('Not planned:\n');
        for (const task of left) {
          const why = task.hasError
            ? 'has an error (see adw-trigger check)'
            : task.status === 'failed'
              ? 'failed (adw-trigger retry ID)'
              : task.status === 'in_progress'
                ? 'in progress'
                : task.blockedBy !== null
                  ? `waits on line ${String(task.blockedBy)} (${blockedReason(task, all) ?? 'not done'}), which will not be done`
                  : task.status;
          process.stdout.write(`  ${describe(ctx, task)}: ${why}\n`);
        }
      }
      for (const line of describeHooks(ctx.loaded.config)) process.stdout.write(`${line}\n`);
    });
}
