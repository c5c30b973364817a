import type { Command } from 'commander';
import { watchTasksFile } from '../daemon/watcher.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';
import { renderServing, servingDaemons } from './status-daemon.js';
import { buildStatus } from './status-report.js';
import { renderStatus } from './status-view.js';

/** `adw-trigger status [--json] [--watch]`. */
export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description(
      'sections with progress, running tasks (step, elapsed time, cost), failures, blocked tasks, diagnostics',
    )
    .option('--json', 'print one JSON object (the format other tools read)')
    .option('--watch', 'redraw whenever the task file or a run changes');
  addRepoOptions(command);
  command.action(async (options: RepoOptions & { json?: boolean; watch?: boolean }) => {
    const ctx = await openContext(options);
    const show = async (): Promise<void> => {
      const { report, extras } = await buildStatus(ctx);
      const daemons = await servingDaemons(ctx.root, ctx.tasksPath);
      if (options.json === true)
        process.stdout.write(JSON.stringify({ ...report, daemons }, null, 2) + '\n');
      else
        process.stdout.write(
          (options.watch === true ? '\x1b[2J\x1b[H' : '') +
            renderStatus(report, extras) +
            renderServing(report, daemons, ctx.root, ctx.tasksPath),
        );
    };
    await show();
    if (options.watch !== true) return;
    // Runs change without the file changing (steps, cost, elapsed time): redraw every 2 s too.
    const redraw = (): void =>
      void show().catch((error: unknown) => process.stderr.write(`${String(error)}\n`));
    const stop = watchTasksFile(ctx.tasksPath, redraw, { poll: false });
    const timer = setInterval(redraw, 2000);
    await new Promise<void>((resolve) => process.once('SIGINT', resolve));
    clearInterval(timer);
    await stop();
  });
}
