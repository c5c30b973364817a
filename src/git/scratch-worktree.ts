import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { GitRepo } from './git-repo.js';
import { queueFor } from './repo-queue.js';
import { gitEnvironment, gitFailure, runGit } from './run-git.js';

/**
 * A detached worktree of `commit` at `path`, for work that commits nothing (section checks).
 * Whatever was left at `path` by an earlier run is removed first: it only ever holds a checkout
 * of a commit a branch keeps, plus what the checks generated. In the repository queue, like
 * every `worktree add/remove` (see repo-queue.ts).
 */
export async function addScratchWorktree(
  repo: GitRepo,
  path: string,
  commit: string,
): Promise<void> {
  const env = gitEnvironment();
  await queueFor(repo.commonDir).add(async () => {
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await runGit(repo.root, ['worktree', 'prune'], { env });
    try {
      await runGit(repo.root, ['worktree', 'add', '--detach', path, commit], { env });
    } catch (error) {
      throw gitFailure('WORKTREE_FAILED', `Cannot create worktree ${path}`, error);
    }
  });
}

/** Removes a worktree made by addScratchWorktree, with whatever the checks generated in it. */
export async function removeScratchWorktree(repo: GitRepo, path: string): Promise<void> {
  const env = gitEnvironment();
  await queueFor(repo.commonDir).add(async () => {
    await runGit(repo.root, ['worktree', 'remove', '--force', '--force', path], {
      env,
      okExitCodes: [128],
    });
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await runGit(repo.root, ['worktree', 'prune'], { env });
  });
}
