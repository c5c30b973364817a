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
}

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
  const git = simpleGit({
    baseDir: cwd,
    // Every non-zero exit is an error carrying its code (simple-git by default ignores a non-zero
    // exit with an empty stderr, which is how `merge-tree` reports conflicts).
    errors: (error, result) =>
      result.exitCode === 0
        ? error
        : new GitCommandError(
            result.exitCode,
            Buffer.concat(result.stdOut).toString('utf8'),
            Buffer.concat(result.stdErr).toString('utf8'),
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
  }).env(options.env);
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
