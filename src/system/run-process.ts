import { execFile } from 'node:child_process';
import { constants } from 'node:os';
import { loadNativeAddon } from './native-addon.js';

/** How a program that ran ended, and what it printed. */
export interface ProcessResult {
  /** Its exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to run one program. */
export interface RunProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Output (both streams) beyond this fails the run, and the program is killed. */
  maxBytes: number;
}

type Callback = (
  errno: number,
  code: number | null,
  signal: number | null,
  stdout: Buffer,
  stderr: Buffer,
) => void;

interface RunProcessAddon {
  run(
    file: string,
    argv: string[],
    env: string[],
    cwd: string,
    maxBytes: number,
    callback: Callback,
  ): number;
}

const E2BIG = 7;
/** The code of the error when a program printed more than maxBytes, as Node's execFile names it. */
export const TOO_MUCH = 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';

let addon: RunProcessAddon | null | undefined;

// The addon, or null when it is not built, cannot be loaded, has no `run` (a kernel without
// pidfds) or is turned off (ADW_TRIGGER_POSIX_SPAWN=off).
function loadAddon(): RunProcessAddon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.platform !== 'linux' || process.env.ADW_TRIGGER_POSIX_SPAWN === 'off') return addon;
  const loaded = loadNativeAddon('run-process') as Partial<RunProcessAddon> | null;
  if (typeof loaded?.run === 'function') addon = loaded as RunProcessAddon;
  return addon;
}

/** How programs are started here: `posix_spawn` (the addon) or Node's spawn. */
export function processStarter(): 'posix_spawn' | 'node' {
  return loadAddon() === null ? 'node' : 'posix_spawn';
}

/** How git commands are started here, and why, in words (`config` and the daemon's log say it). */
export function howGitIsStarted(): string {
  if (processStarter() === 'posix_spawn') return 'with posix_spawn';
  if (process.platform !== 'linux') return "with Node's spawn (posix_spawn is used on Linux only)";
  if (process.env.ADW_TRIGGER_POSIX_SPAWN === 'off')
    return "with Node's spawn (ADW_TRIGGER_POSIX_SPAWN=off)";
  return "with Node's spawn: the run-process addon was not built (it needs a C compiler when adw-trigger is installed), or the kernel has no pidfd (Linux 5.3)";
}

/**
 * Runs `file ARGS` to its end with an argv array (no shell), stdin from nothing, and resolves with
 * its exit code or signal and both outputs (UTF-8); rejects when it could not start (the error's
 * `code` is the errno name, as with Node's spawn) or printed more than `maxBytes`. Started with
 * posix_spawn where the addon is built: a Node spawn forks the whole daemon, which on a virtual
 * machine blocks the event loop for milliseconds per git command (see native/run-process.c).
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  return runProcessStartedBy(processStarter(), file, args, options);
}

/** runProcess with the given starter (tests run both; 'posix_spawn' needs the addon). */
export function runProcessStartedBy(
  starter: 'posix_spawn' | 'node',
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const native = starter === 'posix_spawn' ? loadAddon() : null;
  if (starter === 'posix_spawn' && native === null) {
    return Promise.reject(new Error('the run-process addon is not built here'));
  }
  return native === null
    ? runWithNode(file, args, options)
    : runWithAddon(native, file, args, options);
}

function runWithAddon(
  native: RunProcessAddon,
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const argv = [file, ...args];
    const env = environmentList(options.env);
    // A NUL would end the string in C: refused as Node's spawn refuses it.
    for (const text of [options.cwd, ...argv, ...env]) {
      if (text.includes('\u0000')) {
        reject(new TypeError(`spawn ${file}: an argument holds a NUL character`));
        return;
      }
    }
    try {
      native.run(
        file,
        argv,
        env,
        options.cwd,
        options.maxBytes,
        (errno, code, signal, out, err) => {
          if (errno === E2BIG) {
            reject(Object.assign(new Error(tooMuch(file, options)), { code: TOO_MUCH }));
            return;
          }
          resolve({
            code,
            signal: signal === null ? null : signalName(signal),
            stdout: out.toString('utf8'),
            stderr: err.toString('utf8'),
          });
        },
      );
    } catch (error) {
      // Could not start: the error as Node's spawn gives it (`spawn git ENOENT`, code ENOENT).
      const errno = (error as { errno?: unknown }).errno;
      if (typeof errno !== 'number') throw error;
      const code = errnoName(errno);
      reject(Object.assign(new Error(`spawn ${file} ${code}`, { cause: error }), { code }));
    }
  });
}

function runWithNode(
  file: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      [...args],
      { cwd: options.cwd, env: options.env, encoding: 'utf8', maxBuffer: options.maxBytes },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ code: 0, signal: null, stdout, stderr });
          return;
        }
        // A string (ENOENT, EACCES, a full buffer): it did not run to its end. Else it ended with
        // a code, or by a signal.
        const { code, signal } = error;
        if (typeof code === 'string') {
          const message = code === TOO_MUCH ? tooMuch(file, options) : error.message;
          reject(Object.assign(new Error(message, { cause: error }), { code }));
          return;
        }
        resolve({ code: code ?? null, signal: signal ?? null, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

function tooMuch(file: string, options: RunProcessOptions): string {
  return `${file} printed more than ${String(options.maxBytes)} bytes`;
}

// NAME=VALUE for every set variable, as Node's spawn passes them.
function environmentList(env: NodeJS.ProcessEnv): string[] {
  const list: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) list.push(`${name}=${value}`);
  }
  return list;
}

function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(constants.errno)) if (value === errno) return name;
  return `errno ${String(errno)}`;
}

function signalName(signal: number): NodeJS.Signals {
  for (const [name, value] of Object.entries(constants.signals)) {
    if (value === signal) return name as NodeJS.Signals;
  }
  return `SIG${String(signal)}` as NodeJS.Signals;
}
