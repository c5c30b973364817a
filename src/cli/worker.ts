import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { AdwError } from '../errors.js';
import { startFleetWorker } from '../fleet/worker.js';
import { LOG_LEVELS } from './log-levels.js';
import { createLogger } from './logger.js';
import { stopOnSignal } from './stop-on-signal.js';

interface WorkerOptions {
  queue?: string;
  concurrency?: string;
  dir?: string;
  remote?: string;
  allowAgents?: string;
  includeFrom?: string;
  logLevel: string;
}

const AGENT_KINDS = ['claude', 'codex', 'command'];

/** The worker's folder when `--dir` is not given: the user's cache folder. */
export function defaultWorkerDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'adw-trigger', 'worker');
}

function allowedAgents(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const kinds = value.split(',').map((kind) => kind.trim());
  const unknown = kinds.find((kind) => !AGENT_KINDS.includes(kind));
  if (unknown !== undefined || kinds.length === 0) {
    throw new AdwError(
      'USAGE',
      `Expected --allow-agents to list some of ${AGENT_KINDS.join(', ')}, got \`${value}\``,
    );
  }
  return kinds;
}

/** `adw-trigger worker`: runs tasks of a fleet queue on this machine. */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run tasks handed out by a coordinator (start --queue) on this machine')
    .option(
      '--queue <url>',
      'the Redis server of the fleet, redis://HOST:PORT[/DB] (env ADW_QUEUE)',
    )
    .option('--concurrency <n>', 'tasks this worker runs at once (env ADW_CONCURRENCY)')
    .option('--dir <dir>', "the worker's clone and job folders (default: the user's cache folder)")
    .option('--remote <url>', 'the git remote to fetch from and push to (default: the job says)')
    .option('--allow-agents <kinds>', 'agents this worker runs, e.g. claude,codex (default: all)')
    .option(
      '--include-from <dir>',
      'a checkout of the project on this machine: .worktreeinclude files and linkDirs come from it (env ADW_INCLUDE_FROM)',
    )
    .option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')}`, 'info')
    .action(async (options: WorkerOptions) => {
      if (!(LOG_LEVELS as readonly string[]).includes(options.logLevel)) {
        throw new AdwError(
          'USAGE',
          `Expected --log-level to be one of ${LOG_LEVELS.join(', ')}, got \`${options.logLevel}\``,
        );
      }
      const allowAgents = allowedAgents(options.allowAgents);
      const dir = resolve(options.dir ?? defaultWorkerDir());
      // Only what is local to this machine: flags and ADW_* variables (and DIR/adw-trigger.json).
      const { config } = await loadConfig({
        repoDir: dir,
        flags: {
          ...(options.queue === undefined ? {} : { queue: options.queue }),
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        },
        env: process.env,
      });
      if (config.queue === undefined) {
        throw new AdwError('USAGE', 'Expected --queue redis://HOST:PORT (or ADW_QUEUE), got none');
      }
      const log = createLogger(options.logLevel);
      const worker = await startFleetWorker({
        queue: config.queue,
        dir,
        remote: options.remote ?? null,
        allowAgents,
        includeFrom: options.includeFrom ?? (process.env.ADW_INCLUDE_FROM || null),
        config,
        log,
      });
      await stopOnSignal(log, 'stopping: agents are stopped and their jobs handed back', () =>
        worker.stop(),
      ).stopped;
    });
}
