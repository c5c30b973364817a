import { join } from 'node:path';
import { lastOutputLine } from '../agents/describe-failure.js';
import { runAgent } from '../agents/run-agent.js';
import { formatDuration } from '../config/duration.js';

/** One shell script of the repository owner's config (a hook, a section check) to run. */
export interface ShellRun {
  /** What it is called in messages: `hook beforeRun`, `check npm test`. */
  label: string;
  script: string;
  cwd: string;
  /** ADW_* variables: the only way task data reaches the script. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Its output is appended here. */
  logFile: string;
  signal?: AbortSignal;
}

/** How a script ended: ok, or one line saying why not; `output` is its tail. */
export interface ShellOutcome {
  ok: boolean;
  reason: string | null;
  output: string;
}

/**
 * Runs `sh -c SCRIPT` in its own process group (the same runner as agents): on timeout or abort
 * the whole group is stopped, so a hook that started a server leaves nothing behind. The script
 * text comes from the configuration, never from tasks.md.
 */
export async function runShell(run: ShellRun): Promise<ShellOutcome> {
  const outcome = await runAgent({
    argv: ['/bin/sh', '-c', run.script],
    cwd: run.cwd,
    env: run.env,
    stepTimeoutMs: run.timeoutMs,
    idleTimeoutMs: run.timeoutMs,
    logFile: run.logFile,
    killGraceMs: 2000,
    ...(run.signal === undefined ? {} : { signal: run.signal }),
  });
  const line = lastOutputLine(outcome.output);
  const tail = line === null ? '' : `: ${line}`;
  let reason: string | null = null;
  if (outcome.spawnError !== null) reason = `${run.label} could not start: ${outcome.spawnError}`;
  else if (outcome.stoppedBy === 'stepTimeout' || outcome.stoppedBy === 'idleTimeout')
    reason = `${run.label} timed out after ${formatDuration(run.timeoutMs)} (hooksTimeout)`;
  else if (outcome.stoppedBy !== null) reason = `${run.label} was stopped`;
  else if (outcome.exitCode !== 0)
    reason =
      outcome.exitCode === null
        ? `${run.label} was killed by ${outcome.signal ?? 'a signal'}${tail}`
        : `${run.label} exited with code ${outcome.exitCode}${tail}`;
  return { ok: reason === null, reason, output: outcome.output };
}

/** The log file of hook `name` in a task's run folder. */
export function hookLogFile(runDir: string, name: string): string {
  return join(runDir, `hook-${name}.log`);
}
