import type { Command } from 'commander';
import { openContext } from './context.js';
import { contextInForce } from './context-in-force.js';
import type { CommandContext, RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';
import { renderServing, servingDaemons } from './status-daemon.js';
import { buildStatus } from './status-report.js';
import type { StatusExtras, StatusReport } from './status-report.js';
import { renderStatus } from './status-view.js';
import { watchStatus } from './status-watch.js';

/** `adw-trigger status [--json] [--watch]`. */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'status',
    'sections with progress, running tasks (step, elapsed time, cost), failures, blocked tasks, diagnostics',
  )
    .option('--json', 'print one JSON object (the format other tools read)')
    .option('--watch', 'redraw when the task file or a running task changes')
    .action(async (options: RepoOptions & { json?: boolean; watch?: boolean }) => {
      // A broken edit of the files on disk: the daemon's configuration in force, and status says so.
      const ctx = await openContext(options).catch((error: unknown) =>
        contextInForce(options, error),
      );
      if (options.watch !== true) {
        const { report, extras } = await buildStatus(ctx);
        process.stdout.write(await frameOf(ctx, options.json === true, report, extras));
        return;
      }
      await watchStatus({
        tasksPath: ctx.tasksPath,
        frame: async () => {
          const { report, extras } = await buildStatus(ctx);
          const text = await frameOf(ctx, options.json === true, report, extras);
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

/** One frame of `status`: the report as JSON, or as text with the daemons serving the file. */
async function frameOf(
  ctx: CommandContext,
  json: boolean,
  report: StatusReport,
  extras: StatusExtras,
): Promise<string> {
  const daemons = await servingDaemons(ctx.root, ctx.tasksPath);
  if (json) return JSON.stringify({ ...report, daemons }, null, 2) + '\n';
  return renderStatus(report, extras) + renderServing(report, daemons, ctx.root, ctx.tasksPath);
}
