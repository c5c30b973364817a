import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gitEnv } from './git.js';

/** The built CLI (test/global-setup.ts builds it before the tests). */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** What a finished CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for CLI runs: deterministic git, no ADW_* from the developer's shell. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(gitEnv).filter(([key]) => !key.startsWith('ADW_'));
  return { ...Object.fromEntries(inherited), ...extra };
}

/** A running CLI process, its output so far, and a promise of its end. */
export interface CliProcess {
  child: ChildProcess;
  output: () => string;
  done: Promise<CliResult>;
}

/** Where and how the CLI runs; `cli` is another copy of the built program. */
export interface CliOptions {
  cwd: string;
  env?: Record<string, string>;
  cli?: string | undefined;
}

/** Starts `adw-trigger ARGS` without waiting for it. */
export function startCli(args: string[], options: CliOptions): CliProcess {
  const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => stdout + stderr, done };
}

/** Runs `adw-trigger ARGS` to its end. */
export async function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).done;
}

/** Polls `check` until it returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
  what: string | (() => string) = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
