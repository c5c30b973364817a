export { isValidBranchName } from './branch-name.js';
export { branchGraph, createRepository } from './demo-repository.js';
export { GitRepo, openRepo, type OpenRepoOptions } from './git-repo.js';
export { FALLBACK_IDENTITY } from './identity.js';
export type { MergeResult } from './merge-into-section.js';
export type { WorktreeInfo } from './worktree-list.js';
