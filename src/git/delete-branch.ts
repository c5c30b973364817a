import type { GitRepo } from './git-repo.js';
import { queueFor } from './repo-queue.js';
import { gitEnvironment, runGit } from './run-git.js';

/** Whether commit `tip` is in the history of `branch` (`merge-base --is-ancestor`). */
export async function isMergedInto(repo: GitRepo, tip: string, branch: string): Promise<boolean> {
  const target = await repo.resolveRef(`refs/heads/${branch}`);
  if (target === null) return false;
  const { exitCode } = await runGit(repo.root, ['merge-base', '--is-ancestor', tip, target], {
    env: gitEnvironment(),
    okExitCodes: [1],
  });
  return exitCode === 0;
}

/**
 * Deletes branch `branch` only if it still points at `expected` (`update-ref -d REF OLD`): a
 * branch that moved since it was judged safe (a new commit) is left alone. In the repository
 * queue, like every ref update.
 */
export async function deleteBranch(repo: GitRepo, branch: string, expected: string): Promise<void> {
  await queueFor(repo.commonDir).add(() =>
    runGit(repo.root, ['update-ref', '-d', `refs/heads/${branch}`, expected], {
      env: gitEnvironment(),
    }),
  );
}
