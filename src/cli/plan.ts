import type { Command } from 'commander';
import { agentSpecOf } from '../agents/index.js';
import { AdwError } from '../errors.js';
import { readTasksFile } from '../store/index.js';
import { parseTasks } from '../tasks/index.js';
import type { ParseOptions, Task } from '../tasks/index.js';
import { describeHooks } from '../hooks/describe-hooks.js';
import { modelOfTask, openContext } from './context.js';
import type { CommandContext, RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';
import { preflight } from './preflight.js';
import { printable } from './terminal-text.js';

/**
 * The waves a run would go through, assuming every task succeeds: wave 1 is what starts now, each
 * next wave what the previous one unblocks. It follows the daemon's rules (SPEC §2.4, as
 * resolveRunnable applies them) in one pass per section: a pending task runs in wave 1; a blocked
 * one in the wave after everything above it in its section is done; a task that will never be
 * done (an error, in progress, failed) keeps every blocked task below it out of the plan.
 */
export function planWaves(text: string, options: ParseOptions): { waves: Task[][]; left: Task[] } {
  const waves: Task[][] = [];
  const left: Task[] = [];
  // Per section: the wave by whose end every task so far is done, and the first task never done.
  const doneBy = new Map<string, number>();
  const neverDone = new Map<string, number>();
  for (const task of parseTasks(text, options).tasks) {
    const ready = doneBy.get(task.section) ?? 0;
    const stuck = neverDone.get(task.section) ?? null;
    let wave: number | null = null;
    if (task.status === 'done') continue;
    if (!task.hasError && task.status === 'pending') wave = 1;
    else if (!task.hasError && task.status === 'blocked' && stuck === null) wave = ready + 1;
    if (wave === null) {
      if (stuck === null) neverDone.set(task.section, task.line);
      const blockedBy = task.status === 'blocked' ? stuck : null;
      left.push({ ...task, runnable: false, blockedBy });
      continue;
    }
    doneBy.set(task.section, Math.max(ready, wave));
    while (waves.length < wave) waves.push([]);
    waves[wave - 1]?.push({ ...task, runnable: true, blockedBy: null });
  }
  return { waves, left };
}

function describe(ctx: CommandContext, task: Task): string {
  const model = modelOfTask(ctx, task) ?? 'default model';
  return printable(
    `line ${String(task.line).padEnd(4)} ${task.section}  ${task.workflow}/${model}  ${task.description}`,
  );
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
    // What start refuses, plan refuses too: it never shows waves that would not start.
    await preflight(ctx.repo, ctx.loaded.config, agentSpecOf(ctx.loaded.config, ctx.root));
    const snapshot = await readTasksFile(ctx.tasksPath);
    if (snapshot.encodingError !== null) {
      throw new AdwError(
        'TASKS_FILE_NOT_UTF8',
        `${ctx.tasksName}: ${snapshot.encodingError.message}`,
      );
    }
    const { waves, left } = planWaves(snapshot.text, ctx.parseOptions);
    if (options.json === true) {
      const lines = (tasks: Task[]): number[] => tasks.map((task) => task.line);
      const tasks = waves.flat().map((task) => ({
        line: task.line,
        section: task.section,
        workflow: task.workflow,
        model: modelOfTask(ctx, task),
      }));
      process.stdout.write(
        JSON.stringify({ waves: waves.map(lines), notPlanned: lines(left), tasks }, null, 2) + '\n',
      );
      return;
    }
    if (waves.length === 0) process.stdout.write('Nothing would start now.\n');
    const concurrency = ctx.loaded.config.concurrency;
    waves.forEach((wave, index) => {
      const when =
        index === 0 ? `starts now, ${concurrency} at a time` : `after wave ${index} succeeds`;
      process.stdout.write(
        `Wave ${index + 1} (${when}):\n${wave.map((task) => `  ${describe(ctx, task)}\n`).join('')}`,
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
        process.stdout.write(`  ${describe(ctx, task)}: ${why}\n`);
      }
    }
    for (const line of describeHooks(ctx.loaded.config)) process.stdout.write(`${line}\n`);
  });
}
