import { appendFile } from 'node:fs/promises';
import type { Config } from '../config/schema.js';
import type { GitRepo } from '../git/index.js';
import { copyIncludedFiles } from '../git/worktree-include.js';
import { hookEnv, type HookTask } from './hook-env.js';
import { linkDirs } from './link-dirs.js';
import { hookLogFile, runShell, type ShellOutcome } from './run-shell.js';

/** The names of the hooks, in the order of a task's life. */
export type HookName = 'afterCreate' | 'beforeRun' | 'afterRun' | 'beforeRemove';

/** What running a task's hooks needs. */
export interface TaskHookContext {
  repo: GitRepo;
  config: Config;
  task: HookTask;
  /** `.adw/runs/<ID>`: each hook logs to `hook-<name>.log` there. */
  runDir: string;
  signal?: AbortSignal;
  /** The checkout ignored files and linked folders come from; default: the repository's root. */
  source?: string;
}

/** Runs hook `name` in the task's worktree; null when it is not configured. */
export async function runTaskHook(
  ctx: TaskHookContext,
  name: HookName,
): Promise<ShellOutcome | null> {
  const script = ctx.config.hooks[name];
  if (script === undefined) return null;
  return runShell({
    label: `hook ${name}`,
    script,
    cwd: ctx.task.worktree,
    env: hookEnv(ctx.task, ctx.repo.root, name),
    timeoutMs: ctx.config.hooksTimeout,
    logFile: hookLogFile(ctx.runDir, name),
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
}

/**
 * Prepares a new task worktree: the ignored files `.worktreeinclude` names, the `linkDirs`
 * links, then the afterCreate and beforeRun hooks. Returns null when all went well, else the
 * one-line reason the task fails with (naming the hook and its last output line).
 */
export async function setUpWorktree(ctx: TaskHookContext): Promise<string | null> {
  const { repo, config, task } = ctx;
  const source = ctx.source ?? repo.root;
  try {
    await copyIncludedFiles(source, task.worktree);
    await linkDirs(source, task.worktree, config.linkDirs);
  } catch (error) {
    return `could not prepare the worktree: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const name of ['afterCreate', 'beforeRun'] as const) {
    const outcome = await runTaskHook(ctx, name);
    if (outcome !== null && !outcome.ok) return outcome.reason;
  }
  return null;
}

/**
 * Runs a hook whose failure does not change the task's outcome (afterRun, beforeRemove): the
 * failure is appended to the hook's log and returned for the caller to report.
 */
export async function runLoggedHook(ctx: TaskHookContext, name: HookName): Promise<string | null> {
  const outcome = await runTaskHook(ctx, name);
  if (outcome === null || outcome.ok) return null;
  await appendFile(hookLogFile(ctx.runDir, name), `\n[adw-trigger] ${outcome.reason ?? ''}\n`);
  return outcome.reason;
}
