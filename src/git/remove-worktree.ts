import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { AdwError } from '../errors.js';
import { gitFailure } from './run-git.js';
import type { WorktreeInfo } from './worktree-list.js';

/** What removing a worktree needs from the repository (run inside its queue). */
export interface RemoveWorktreeContext {
  root: string;
  /** `git worktree ARGS` in the repository, holding its worktree lock (see repo-queue.ts). */
  worktreeGit(args: string[]): Promise<unknown>;
  listWorktrees(): Promise<WorktreeInfo[]>;
  isDirty(worktree: string): Promise<boolean>;
  branchContains(sha: string): Promise<boolean>;
}

/**
 * Removes the clean linked worktree at absolute path `target` (its branch stays). Refuses the
 * main working tree, a folder that is no worktree of this repository, uncommitted or untracked
 * files, and a commit no branch keeps: removing any of them would lose work.
 */
export async function removeWorktree(
  context: RemoveWorktreeContext,
  target: string,
): Promise<void> {
  const { root } = context;
  const refuse = (why: string) =>
    new AdwError('WORKTREE_FAILED', `Refusing to remove worktree ${target}: ${why}`);
  const real = existsSync(target) ? await realpath(target) : target;
  const [main, ...linked] = await context.listWorktrees();
  if (main?.path === real) throw refuse('it is the main working tree');
  const entry = linked.find((w) => w.path === real || w.path === target);
  if (entry === undefined) throw refuse(`it is not a worktree of ${root}`);
  if (!existsSync(target)) {
    await context.worktreeGit(['prune']); // deleted by hand: only the record is left
    return;
  }
  if (await context.isDirty(target)) {
    throw refuse('it has uncommitted changes or untracked files');
  }
  if (entry.head !== '' && !(await context.branchContains(entry.head))) {
    throw refuse(`its commit ${entry.head} is on no branch`);
  }
  try {
    await context.worktreeGit(['remove', target]);
  } catch (error) {
    throw gitFailure('WORKTREE_FAILED', `Cannot remove worktree ${target}`, error);
  }
}
