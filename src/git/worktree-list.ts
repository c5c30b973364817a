import { GitCommandError } from './run-git.js';

/** One entry of `git worktree list`. */
export interface WorktreeInfo {
  path: string;
  /** Short branch name, or null when detached (or bare). */
  branch: string | null;
  /** The checked-out commit; empty for a bare repository. */
  head: string;
}

/** Parses `git worktree list --porcelain -z` (NUL-terminated fields, blocks ended by a NUL). */
export function parseWorktreeList(output: string): WorktreeInfo[] {
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | null = null;
  for (const field of output.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length), branch: null, head: '' };
      worktrees.push(current);
    } else if (current !== null && field.startsWith('HEAD ')) {
      current.head = field.slice('HEAD '.length);
    } else if (current !== null && field.startsWith('branch ')) {
      current.branch = field.slice('branch '.length).replace(/^refs\/heads\//, '');
    }
  }
  return worktrees;
}

/**
 * True when git died on a worktree entry that another git is still writing (`failed to read
 * .git/worktrees/NAME/commondir`): `worktree add` writes the entry's files one by one, without a
 * lock. A listing that failed so is worth asking again a moment later.
 */
export function isHalfWrittenEntry(error: unknown): boolean {
  return (
    error instanceof GitCommandError &&
    /failed to read .*\/worktrees\/[^/]+\/(?:commondir|gitdir)\b/.test(error.stderr)
  );
}
