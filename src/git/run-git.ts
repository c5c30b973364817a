import { GitError, simpleGit } from 'simple-git';
import { AdwError, type AdwErrorCode } from '../errors.js';

/** A git command that exited with a non-zero code: its code and both outputs. */
export class GitCommandError extends GitError {
  constructor(
    readonly exitCode: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(undefined, stderr.trim() || stdout.trim() || `git exited with code ${exitCode}`);
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
  /**
   * The command prints nothing when it succeeds (`update-ref`). simple-git waits 50 ms after
   * every command that printed nothing on stdout or stderr before resolving it
   * (completionDetectionPlugin, not configurable), which made such commands cost several times
   * their run time. With this flag the command runs with GIT_TRACE=2, so git prints one trace
   * line to stderr as it starts and the wait is skipped; trace lines are removed from the output.
   */
  silentCommand?: boolean;
}

// A GIT_TRACE line: `12:34:56.789012 git.c:460               trace: built-in: git update-ref …`.
const TRACE_LINE = /^\d{2}:\d{2}:\d{2}\.\d+ \S+:\d+ +trace: .*(?:\r?\n|$)/gm;

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
 * Runs `git ARGS` in `cwd` (an argv array: nothing passes through a shell). simple-git refuses
 * commands whose environment holds EDITOR, PAGER, GIT_ASKPASS, GIT_CONFIG_GLOBAL and the like,
 * because it guards against untrusted input configuring git; here the environment is the
 * user's own and no argument comes from tasks.md as configuration, so those checks are opened
 * for environment-borne settings only.
 */
export async function runGit(cwd: string, args: string[], options: RunOptions): Promise<GitOutput> {
  const withoutTrace = (chunks: Buffer[]) => {
    const text = Buffer.concat(chunks).toString('utf8');
    return options.silentCommand === true ? text.replace(TRACE_LINE, '') : text;
  };
  const git = simpleGit({
    baseDir: cwd,
    // Every non-zero exit is an error carrying its code (simple-git by default ignores a non-zero
    // exit with an empty stderr, which is how `merge-tree` reports conflicts).
    errors: (error, result) =>
      result.exitCode === 0
        ? error
        : new GitCommandError(
            result.exitCode,
            withoutTrace(result.stdOut),
            withoutTrace(result.stdErr),
          ),
    unsafe: {
      allowUnsafeAskPass: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeEditor: true,
      allowUnsafePager: true,
      allowUnsafeSshCommand: true,
      allowUnsafeGitProxy: true,
      allowUnsafeTemplateDir: true,
      allowUnsafeDiffExternal: true,
    },
  }).env(options.silentCommand === true ? { ...options.env, GIT_TRACE: '2' } : options.env);
  try {
    return { stdout: await git.raw(args), exitCode: 0 };
  } catch (error) {
    if (error instanceof GitCommandError && (options.okExitCodes ?? []).includes(error.exitCode)) {
      return { stdout: error.stdout, exitCode: error.exitCode };
    }
    throw error;
  }
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
