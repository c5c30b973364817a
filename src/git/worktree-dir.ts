import { lstat, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AdwError } from '../errors.js';
import { runGit } from './run-git.js';

/** What the ownership check needs from the repository. */
export interface WorktreeDirContext {
  root: string;
  env: NodeJS.ProcessEnv;
  /** Paths of the repository's worktrees (real paths), the main one included. */
  worktreePaths(): Promise<string[]>;
}

/** `worktreeDir` as a repository-relative path with `/`, or null when it is not inside it. */
export function worktreeDirPath(root: string, dir: string): string | null {
  const rel = relative(root, resolve(root, dir));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/**
 * Why `dir` cannot be the daemon's worktree folder, or null when it can: the daemon excludes it
 * from git and creates and removes folders in it, so it must be a folder of the repository that
 * holds nothing but the daemon's worktrees. A tracked path, the user's files, the repository
 * root, `.git` or a path outside the repository are refused.
 */
export async function worktreeDirProblem(
  context: WorktreeDirContext,
  dir: string,
): Promise<string | null> {
  const rel = relative(context.root, resolve(context.root, dir));
  if (rel === '') return 'it is the repository root';
  const path = worktreeDirPath(context.root, dir);
  if (path === null) return 'it is outside the repository';
  if (path === '.git' || path.startsWith('.git/')) return 'it is inside .git';
  const tracked = await runGit(
    context.root,
    ['--literal-pathspecs', 'ls-files', '-z', '--full-name', '--', path],
    { env: context.env },
  );
  const first = tracked.stdout.split('\0').find((entry) => entry !== '');
  if (first !== undefined) return `git tracks files in it (${first})`;
  const target = join(context.root, path);
  const stat = await lstat(target).catch(() => null);
  if (stat === null) return null;
  if (!stat.isDirectory()) return 'it is not a folder';
  const worktrees = new Set(await context.worktreePaths());
  for (const name of (await readdir(target)).sort()) {
    const real = await realpath(join(target, name)).catch(() => join(target, name));
    if (!worktrees.has(real))
      return `it holds ${path}/${name}, which is not a worktree of the daemon`;
  }
  return null;
}

/** Throws CONFIG_INVALID (exit 2) when `dir` cannot be the daemon's worktree folder. */
export async function assertWorktreeDir(context: WorktreeDirContext, dir: string): Promise<void> {
  const problem = await worktreeDirProblem(context, dir);
  if (problem !== null) {
    throw new AdwError(
      'CONFIG_INVALID',
      `Expected \`worktreeDir\` to be a folder only the daemon uses, got \`${dir}\`: ${problem}`,
    );
  }
}
