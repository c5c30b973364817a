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
