export { AgentWatch, forbiddenChange } from './agent-watch.js';
export { keptRef } from './branch-guard.js';
export { branchGraph, createRepository } from './demo-repository.js';
export { GitRepo } from './git-repo.js';
export { openRepo, type OpenRepoOptions } from './open-repo.js';
export { FALLBACK_IDENTITY } from './identity.js';
export type { Committed, WorktreeHead } from './commit-all.js';
export type { MergeResult } from './merge-into-section.js';
export type { WorktreeInfo } from './worktree-list.js';
