import { constants, existsSync } from 'node:fs';
import { copyFile, lstat, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gitEnvironment, runGit } from './run-git.js';
import { errnoCode } from '../system/errno.js';

/** The file at the repository root naming which ignored files each new worktree gets a copy of. */
export const WORKTREE_INCLUDE = '.worktreeinclude';

// check-ignore takes the paths as arguments: a few hundred at a time keeps argv short.
const CHUNK = 200;

/**
 * The untracked files of the main checkout that match `.worktreeinclude` (gitignore syntax) and
 * that git ignores: `.env`, `config/master.key`. Read with `ls-files --others --ignored
 * --exclude-from` (the patterns of that file alone), then kept only when the repository's own ignore
 * rules (`--exclude-standard`) ignore them too. No shell; the paths come from git.
 */
export async function includedFiles(root: string, env = gitEnvironment()): Promise<string[]> {
  const patterns = join(root, WORKTREE_INCLUDE);
  if (!existsSync(patterns)) return [];
  const listed = await runGit(
    root,
    ['ls-files', '-z', '--others', '--ignored', `--exclude-from=${patterns}`],
    { env },
  );
  // Nested repositories (task worktrees) are listed as directories: never copied.
  const candidates = listed.stdout.split('\0').filter((path) => path !== '' && !path.endsWith('/'));
  const ignored: string[] = [];
  for (let start = 0; start < candidates.length; start += CHUNK) {
    const chunk = candidates.slice(start, start + CHUNK);
    // The same listing with the repository's own rules, limited to these literal paths.
    const checked = await runGit(
      root,
      [
        '--literal-pathspecs',
        'ls-files',
        '-z',
        '--others',
        '--ignored',
        '--exclude-standard',
      ].concat('--', chunk),
      { env },
    );
    ignored.push(...checked.stdout.split('\0').filter((path) => path !== ''));
  }
  return ignored;
}

/**
 * Copies the files `.worktreeinclude` selects from the main checkout into `worktree`. A path that
 * already exists there (a file the branch tracks, or one made before) is never overwritten.
 * Returns the paths copied.
 */
export async function copyIncludedFiles(
  root: string,
  worktree: string,
  env = gitEnvironment(),
): Promise<string[]> {
  const copied: string[] = [];
  for (const path of await includedFiles(root, env)) {
    const target = join(worktree, path);
    const present = await lstat(target).then(
      () => true,
      () => false,
    );
    if (present) continue;
    await mkdir(dirname(target), { recursive: true });
    try {
      await copyFile(join(root, path), target, constants.COPYFILE_EXCL);
      copied.push(path);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
  }
  return copied;
}
