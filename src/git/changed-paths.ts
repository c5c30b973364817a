import { runGit } from './run-git.js';

/**
 * The paths that differ between commits `base` and `tip` (`diff --name-only`, renames as a
 * deletion and an addition, so both names show), repository-relative with `/`.
 */
export async function changedPaths(
  root: string,
  env: NodeJS.ProcessEnv,
  base: string,
  tip: string,
): Promise<string[]> {
  const { stdout } = await runGit(
    root,
    ['diff', '--name-only', '--no-renames', '-z', base, tip, '--'],
    { env },
  );
  return stdout.split('\0').filter((path) => path !== '');
}

/** The first of `paths` that is `file` or lies under one of `folders` (`.adw`), or null. */
export function firstForbidden(
  paths: readonly string[],
  files: readonly string[],
  folders: readonly string[],
): string | null {
  return (
    paths.find(
      (path) => files.includes(path) || folders.some((folder) => path.startsWith(`${folder}/`)),
    ) ?? null
  );
}
