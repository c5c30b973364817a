import type { Command } from 'commander';
import { agentSpecOf } from '../agents/index.js';
import { ConfigInForce, createDaemon } from '../daemon/index.js';
import { AdwError } from '../errors.js';
import { ghPreflight } from '../land/gh.js';
import { readTasksFile } from '../store/index.js';
import { runWorkflow } from '../workflows/index.js';
import { openContext } from './context.js';
import { LOG_LEVELS } from './log-levels.js';
import { createLogger } from './logger.js';
import { stopOnSignal } from './stop-on-signal.js';
import { startObservers } from './start-observers.js';
import { addConfigOptions, addLogOption, addRepoOptions, configFlags } from './options.js';
import { agentCheck, baseRefCheck, preflight } from './preflight.js';

interface StartOptions extends Record<string, unknown> {
  repo?: string;
  tasks?: string;
  once?: boolean;
  poll?: boolean;
  logLevel: string;
}

/** `adw-trigger start`: the daemon, in the foreground. */
export async function register(program: Command): Promise<void> {
  const command = program
    .command('start')
    .description(
      'watch the task file and run every runnable task (foreground; stop with Ctrl-C or SIGTERM)',
    )
    .option(
      '--once',
      'run everything runnable, including tasks it unblocks, then exit (0 all ok, 3 a task failed)',
    )
    .option('--poll', 'notice changes by polling only (network filesystems)');
  addRepoOptions(command);
  await addConfigOptions(command);
  addLogOption(command);
  command.action(async (options: StartOptions) => {
    if (!(LOG_LEVELS as readonly string[]).includes(options.logLevel)) {
      throw new AdwError(
        'USAGE',
        `Expected --log-level to be one of ${LOG_LEVELS.join(', ')}, got \`${options.logLevel}\``,
      );
    }
    const ctx = await openContext(options, configFlags(options));
    const agent = agentSpecOf(ctx.loaded.config, ctx.root);
    // Before anything is claimed: a missing agent or commit is one line, not a failed task each.
    // A coordinator runs no agent itself: its workers check theirs.
    if (ctx.loaded.config.queue === undefined) await preflight(ctx.repo, ctx.loaded.config, agent);
    await ghPreflight(ctx.loaded.config.land, ctx.root);
    if (options.once === true) {
      // Waiting for a missing file suits a service; a one-shot run reports it (exit 1).
      await readTasksFile(ctx.tasksPath);
    }
    const log = createLogger(options.logLevel);
    // Edits of adw-trigger.json and workflow files apply to the tasks that start after them.
    const live = new ConfigInForce(
      { config: ctx.loaded.config, workflows: ctx.workflows, agent },
      {
        root: ctx.root,
        load: ctx.loadOptions,
        log,
        // What preflight checks of the keys that can change live.
        check: async (next) => {
          const checks = [await baseRefCheck(ctx.repo, next.config), await agentCheck(next.agent)];
          const failed = checks.find((check) => !check.ok);
          return failed === undefined ? null : `${failed.detail} (${failed.fix ?? ''})`;
        },
      },
    );
    // Recovered fleet runs may settle before the daemon exists: its first scan sees them then.
    let created: ReturnType<typeof createDaemon> | null = null;
    // A fleet's coordinator: loaded only with --queue, so a local daemon never loads Redis code.
    const fleet =
      ctx.loaded.config.queue === undefined
        ? null
        : await (
            await import('../fleet/start-coordinator.js')
          ).startCoordinator(
            ctx.loaded.config,
            ctx.repo,
            log,
            () => {
              process.kill(process.pid, 'SIGTERM');
            },
            () => {
              created?.rescan();
            },
          );
    const observers = await startObservers({ ...ctx, parseOptions: live.parseOptions }, log, live);
    const daemon = createDaemon({
      ...(fleet === null ? {} : { runner: fleet.runner }),
      ...observers.deps,
      config: ctx.loaded.config,
      live,
      repo: ctx.repo,
      tasksPath: ctx.tasksPath,
      log,
      workflows: ctx.workflows,
      runWorkflow,
      poll: options.poll === true,
    });
    created = daemon;

    const signals = stopOnSignal(
      log,
      'stopping: agents are stopped and their tasks put back to []',
      () => daemon.stop(),
    );

    if (options.once === true) {
      try {
        const summary = await daemon.runOnce();
        if (signals.received()) return;
        // An operational problem (lock held, file unreadable) or an unwritten outcome: 1.
        const operational = summary.unwritten > 0 || summary.problems > 0;
        process.exitCode = operational ? 1 : summary.failed > 0 ? 3 : 0;
      } finally {
        await observers.close();
        await fleet?.close();
      }
      return;
    }
    await daemon.start();
    const stopReloading = live.watch({
      poll: options.poll === true,
      pollMs: ctx.loaded.config.pollInterval,
    });
    await signals.stopped;
    await stopReloading();
    await observers.close();
    await fleet?.close();
  });
}
