import type { CleanInput } from './clean-plan.js';
import { judgeBranches, judgeWorktrees } from './clean-plan.js';

/** How much `clean --branches` would remove: shown by `status`. */
export interface CleanCount {
  worktrees: number;
  branches: number;
}

/** Counts the worktrees and merged task branches `clean --branches` would remove. */
export async function countCleanable(input: CleanInput): Promise<CleanCount> {
  const trees = await judgeWorktrees(input);
  const branches = await judgeBranches(input, trees);
  return {
    worktrees: trees.filter((tree) => tree.keep === null).length,
    branches: branches.filter((branch) => branch.keep === null).length,
  };
}
