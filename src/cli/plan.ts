import type { Command } from 'commander';
import { readTasksFile } from '../store/index.js';
import { claimTask, completeTask, parseTasks } from '../tasks/index.js';
import type { ParseOptions, Task } from '../tasks/index.js';
import { describeHooks } from '../hooks/describe-hooks.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';

const PLAN_HASH = '0000000000';

/**
 * The waves a run would go through, assuming every task succeeds: wave 1 is what starts now, each
 * next wave what the previous one unblocks. Simulated on the text with the daemon's own claim and
 * complete edits, so the plan follows exactly the rules the daemon applies.
 */
export function planWaves(text: string, options: ParseOptions): { waves: Task[][]; left: Task[] } {
  const waves: Task[][] = [];
  let counter = 0;
  for (;;) {
    const runnable = parseTasks(text, options).tasks.filter((task) => task.runnable);
    if (runnable.length === 0) break;
    for (const task of runnable) {
      const id = `plan${String(counter++)}`;
      const claimed = claimTask(text, task, id);
      const done = claimed.ok ? completeTask(claimed.text, id, PLAN_HASH) : claimed;
      if (done.ok) text = done.text;
    }
    waves.push(runnable);
  }
  const planned = new Set(waves.flat().map((task) => task.line));
  const left = parseTasks(text, options).tasks.filter(
    (task) => !planned.has(task.line) && task.status !== 'done',
  );
  return { waves, left };
}

function describe(task: Task): string {
  return `line ${String(task.line).padEnd(4)} ${task.section}  ${task.workflow}/${task.model}  ${task.description}`;
}

/** `adw-trigger plan`: what would start now and the waves after it; runs nothing. */
export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description(
      'show what would start now and the waves after it (assuming each succeeds), without running anything',
    )
    .option('--json', 'print JSON');
  addRepoOptions(command);
  command.action(async (options: RepoOptions & { json?: boolean }) => {
    const ctx = await openContext(options);
    const { waves, left } = planWaves((await readTasksFile(ctx.tasksPath)).text, ctx.parseOptions);
    if (options.json === true) {
      const lines = (tasks: Task[]): number[] => tasks.map((task) => task.line);
      process.stdout.write(
        JSON.stringify({ waves: waves.map(lines), notPlanned: lines(left) }, null, 2) + '\n',
      );
      return;
    }
    if (waves.length === 0) process.stdout.write('Nothing would start now.\n');
    const concurrency = ctx.loaded.config.concurrency;
    waves.forEach((wave, index) => {
      const when =
        index === 0 ? `starts now, ${concurrency} at a time` : `after wave ${index} succeeds`;
      process.stdout.write(
        `Wave ${index + 1} (${when}):\n${wave.map((task) => `  ${describe(task)}\n`).join('')}`,
      );
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
                ? `waits for line ${task.blockedBy}, which will not be done`
                : task.status;
        process.stdout.write(`  ${describe(task)}: ${why}\n`);
      }
    }
    for (const line of describeHooks(ctx.loaded.config)) process.stdout.write(`${line}\n`);
  });
}
