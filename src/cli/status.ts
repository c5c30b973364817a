import type { Command } from 'commander';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';
import { buildStatus } from './status-report.js';
import { renderStatus } from './status-view.js';
import { watchStatus } from './status-watch.js';

/** `adw-trigger status [--json] [--watch]`. */
export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description(
      'sections with progress, running tasks (step, elapsed time, cost), failures, blocked tasks, diagnostics',
    )
    .option('--json', 'print one JSON object (the format other tools read)')
    .option('--watch', 'redraw when the task file or a running task changes');
  addRepoOptions(command);
  command.action(async (options: RepoOptions & { json?: boolean; watch?: boolean }) => {
    const ctx = await openContext(options);
    if (options.watch !== true) {
      const { report, extras } = await buildStatus(ctx);
      process.stdout.write(
        options.json === true
          ? JSON.stringify(report, null, 2) + '\n'
          : renderStatus(report, extras),
      );
      return;
    }
    await watchStatus({
      tasksPath: ctx.tasksPath,
      frame: async () => {
        const { report, extras } = await buildStatus(ctx);
        const text =
          options.json === true
            ? JSON.stringify(report, null, 2) + '\n'
            : renderStatus(report, extras);
        return { text, live: report.runs.length > 0 };
      },
      write: (text) => process.stdout.write(text),
      onError: (error) => process.stderr.write(`${String(error)}\n`),
      stopRequested: new Promise<void>((resolve) =>
        process.once('SIGINT', () => {
          resolve();
        }),
      ),
    });
  });
}
