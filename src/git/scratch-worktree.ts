import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { GitRepo } from './git-repo.js';
import { queueFor, withWorktreesLock } from './repo-queue.js';
import { gitEnvironment, gitFailure, runGit } from './run-git.js';

/**
 * A detached worktree of `commit` at `path`, for work that commits nothing (section checks).
 * Whatever was left at `path` by an earlier run is removed first: it only ever holds a checkout
 * of a commit a branch keeps, plus what the checks generated. In the repository queue, like
 * every `worktree add/remove`, and under the worktree lock (see repo-queue.ts).
 */
export async function addScratchWorktree(
  repo: GitRepo,
  path: string,
  commit: string,
): Promise<void> {
  const worktree = worktreeGit(repo);
  await queueFor(repo.commonDir).add(async () => {
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await worktree(['prune']);
    try {
      await worktree(['add', '--detach', path, commit]);
    } catch (error) {
      throw gitFailure('WORKTREE_FAILED', `Cannot create worktree ${path}`, error);
    }
  });
}

/** Removes a worktree made by addScratchWorktree, with whatever the checks generated in it. */
export async function removeScratchWorktree(repo: GitRepo, path: string): Promise<void> {
  const worktree = worktreeGit(repo);
  await queueFor(repo.commonDir).add(async () => {
    await worktree(['remove', '--force', '--force', path], [128]);
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await worktree(['prune']);
  });
}

// `git worktree ARGS` in `repo`, holding its worktree lock (see repo-queue.ts).
function worktreeGit(repo: GitRepo) {
  const env = gitEnvironment();
  return (args: string[], okExitCodes: readonly number[] = []) =>
    withWorktreesLock(repo.commonDir, () =>
      runGit(repo.root, ['worktree', ...args], { env, okExitCodes }),
    );
}
