import { existsSync } from 'node:fs';
import { lstat, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Symlinks each of `dirs` (relative, checked by the config schema) from the main checkout into
 * `worktree`, for people who accept sharing them (`node_modules`). A directory the main checkout
 * lacks, or a path the worktree already has (tracked), is skipped. Returns the paths linked.
 */
export async function linkDirs(
  root: string,
  worktree: string,
  dirs: readonly string[],
): Promise<string[]> {
  const linked: string[] = [];
  for (const dir of dirs) {
    const source = join(root, dir);
    const target = join(worktree, dir);
    if (!existsSync(source)) continue;
    const present = await lstat(target).then(
      () => true,
      () => false,
    );
    if (present) continue;
    await mkdir(dirname(target), { recursive: true });
    await symlink(source, target, 'dir');
    linked.push(dir);
  }
  return linked;
}

/**
 * The `.git/info/exclude` patterns that keep links out of commits: `node_modules/` in a
 * .gitignore matches a directory, not a symlink of that name, so `git add -A` would commit it.
 */
export function linkExcludes(dirs: readonly string[]): string[] {
  return dirs.map((dir) => `/${dir.replace(/\/+$/, '')}`);
}
