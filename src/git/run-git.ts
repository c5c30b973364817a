import { AdwError, type AdwErrorCode } from '../errors.js';
import { runProcess, TOO_MUCH } from '../system/run-process.js';

/** A git command that exited with a non-zero code: its code and both outputs. */
export class GitCommandError extends Error {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(stderr.trim() || stdout.trim() || `git exited with code ${String(exitCode)}`);
    this.name = 'GitCommandError';
  }
}

/** What a git command printed, and its exit code (non-zero only when the caller allowed it). */
export interface GitOutput {
  stdout: string;
  exitCode: number;
}

/** How to run one git command. */
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (merge-tree: 1 = conflicts). */
  okExitCodes?: readonly number[];
}

// Large enough for any listing the daemon asks for (worktrees, refs, changed paths of a task).
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

// Another daemon (or the user's git) holds a ref's lock for the moment it moves that ref; git
// retries a held lock for only 100 ms by default, which a loaded machine outlasts. A lock left by
// a git that crashed still fails, after this long, with git's message naming the lock file.
const REF_LOCK_WAIT = ['-c', 'core.filesRefLockTimeout=3000'];

// Variables that would point git at another repository or index: set when the daemon is started
// from a git hook, for instance. Each command must act on the directory it is given.
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
];

/** The environment of every git command: the given one, never prompting, no foreign GIT_DIR. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0' };
  for (const name of REPOSITORY_VARIABLES) Reflect.deleteProperty(env, name);
  return env;
}

/**
 * Runs `git ARGS` in `cwd` as one process with an argv array: nothing passes through a shell, and
 * callers put `--` before names that come from a task. A ref lock another process holds is waited
 * for (REF_LOCK_WAIT). Resolves when git exits 0 (or with one of `okExitCodes`); otherwise
 * rejects with a GitCommandError carrying the code and both outputs, or with an error saying git
 * could not start or was ended by a signal. Started by runProcess (posix_spawn where it can).
 * Measured against simple-git in bench/git-sequence.mjs: simple-git waited
 * 50 ms after every command that printed nothing and refused environments holding EDITOR, PAGER,
 * GIT_ASKPASS and the like, which called for a workaround at each call site.
 */
export async function runGit(cwd: string, args: string[], options: RunOptions): Promise<GitOutput> {
  let result;
  try {
    result = await runProcess('git', [...REF_LOCK_WAIT, ...args], {
      cwd,
      env: options.env,
      maxBytes: MAX_OUTPUT_BYTES,
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    // More output than any listing the daemon asks for: git ran, and was stopped.
    if ((error as { code?: unknown }).code === TOO_MUCH) {
      throw new Error(why, { cause: error });
    }
    // ENOENT, EACCES, a missing folder: git did not start.
    throw new Error(`git could not start: ${why}`, { cause: error });
  }
  const { code, signal, stdout, stderr } = result;
  if (code === 0) return { stdout, exitCode: 0 };
  if (code !== null && (options.okExitCodes ?? []).includes(code))
    return { stdout, exitCode: code };
  if (code === null) throw new Error(`git was ended by ${String(signal)}: ${stderr.trim()}`.trim());
  throw new GitCommandError(code, stdout, stderr);
}

/** The message of a failed git command, for people. */
export function gitMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/^(fatal|error): /gm, '');
}

/** An AdwError saying what we were doing and what git said. */
export function gitFailure(code: AdwErrorCode, doing: string, error: unknown): AdwError {
  if (error instanceof AdwError) return error;
  return new AdwError(code, `${doing}: ${gitMessage(error)}`, { cause: error });
}

// `worktree add` prints `Preparing worktree (new branch 'x')` before failing.
/** What git said failed: its `fatal:`/`error:` lines without the prefix, or its whole message. */
export function failureLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const failing = text.split('\n').filter((line) => /^(fatal|error): /.test(line));
  return failing.length > 0 ? gitMessage(failing.join('\n')) : gitMessage(error);
}
