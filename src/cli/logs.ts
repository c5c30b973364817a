import { join } from 'node:path';
import type { Command } from 'commander';
import { readRunRecord } from '../runs/index.js';
import { AdwError } from '../errors.js';
import { followRun, isStepName, listStepLogs, readHumanLog } from '../humanize/index.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';
import { taskIdProblem } from '../tasks/index.js';

interface LogsOptions extends RepoOptions {
  step?: string;
  follow?: boolean;
}

/** `adw-trigger logs ID [--step NAME] [-f]`: a run's agent output as readable lines. */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'logs',
    "a task's agent output as readable lines (raw logs stay in .adw/runs/ID/STEP.log)",
  )
    .argument('<id>', 'the task ID, as shown in [🟡, ID]')
    .option('--step <name>', 'only this step (default: every step, in order)')
    .option('-f, --follow', 'keep printing as the agent writes, until the run ends')
    .action(async (id: string, options: LogsOptions) => {
      const problem = taskIdProblem(id);
      if (problem !== null) throw new AdwError('USAGE', problem);
      if (options.step !== undefined && !isStepName(options.step)) {
        throw new AdwError(
          'USAGE',
          `Expected --step to be a step name such as implement, got \`${options.step}\``,
        );
      }
      const ctx = await openContext(options);
      const adwDir = join(ctx.root, '.adw');
      const record = await readRunRecord(adwDir, id);
      const logs = await listStepLogs(join(adwDir, 'runs', id));
      if (record === null && logs.length === 0) {
        throw new AdwError(
          'TASK_NOT_FOUND',
          `no run of task ${id} in ${join(ctx.root, '.adw', 'runs')}`,
        );
      }
      const many = options.step === undefined;
      let shown: string | null = null;
      const print = (step: string, lines: string[]): void => {
        if (many && step !== shown) process.stdout.write(`── ${step} ──\n`);
        shown = step;
        process.stdout.write(lines.map((line) => `${line}\n`).join(''));
      };

      if (options.follow === true) {
        const abort = new AbortController();
        const onSignal = (): void => {
          abort.abort();
        };
        process.once('SIGINT', onSignal);
        const end = await followRun({
          adwDir,
          id,
          ...(options.step === undefined ? {} : { step: options.step }),
          signal: abort.signal,
          onLines: print,
        });
        process.off('SIGINT', onSignal);
        const last = await readRunRecord(adwDir, id);
        if (end === 'stale') {
          process.stderr.write(
            `the daemon running task ${id} stopped beating; not following any more\n`,
          );
        } else if (end !== 'aborted' && last !== null) {
          process.stdout.write(`── ${id} ${outcomeLine(last.status, last.commit, last.error)}\n`);
        }
        return;
      }

      const chosen = many ? logs : logs.filter((log) => log.step === options.step);
      if (chosen.length === 0) {
        const steps = logs.map((log) => log.step).join(', ') || 'none yet';
        throw new AdwError(
          'TASK_NOT_FOUND',
          `task ${id} has no log for step ${options.step ?? ''} (steps: ${steps})`,
        );
      }
      for (const log of chosen) print(log.step, await readHumanLog(log.path));
    });
}

function outcomeLine(status: string, commit: string | null, error: string | null): string {
  if (status === 'done' || status === 'merge-waiting')
    return `done ✅ ${commit?.slice(0, 9) ?? ''}`;
  if (status === 'failed') return `failed ❌ ${error ?? ''}`;
  return status;
}
