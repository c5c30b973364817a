import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { GitRepo } from './git-repo.js';
import { queueFor, runWorktreeGit } from './repo-queue.js';
import { gitEnvironment, gitFailure } from './run-git.js';

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
  const env = gitEnvironment();
  await queueFor(repo.commonDir).add(async () => {
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await runWorktreeGit(repo, env, ['prune']);
    try {
      await runWorktreeGit(repo, env, ['add', '--detach', path, commit]);
    } catch (error) {
      throw gitFailure('WORKTREE_FAILED', `Cannot create worktree ${path}`, error);
    }
  });
}

/** Removes a worktree made by addScratchWorktree, with whatever the checks generated in it. */
export async function removeScratchWorktree(repo: GitRepo, path: string): Promise<void> {
  const env = gitEnvironment();
  await queueFor(repo.commonDir).add(async () => {
    await runWorktreeGit(repo, env, ['remove', '--force', '--force', path], [128]);
    if (existsSync(path)) await rm(path, { recursive: true, force: true });
    await runWorktreeGit(repo, env, ['prune']);
  });
}
