import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AdwError } from '../errors.js';
import { gitEnvironment, gitMessage, runGit } from '../git/run-git.js';

/**
 * A worker's `--include-from DIR`: this machine's own checkout of the project, from which each
 * task worktree gets the ignored files `.worktreeinclude` names and the `linkDirs` folders, as a
 * local daemon takes them from its main checkout. Such files (`.env`) are per machine and never
 * travel through the queue. Returns the checkout's real path; throws USAGE unless DIR is the top
 * of a git checkout.
 */
export async function includeSource(dir: string): Promise<string> {
  const fail = (found: string): AdwError =>
    new AdwError(
      'USAGE',
      `Expected --include-from (ADW_INCLUDE_FROM) to be the top folder of a git checkout of the project, got \`${dir}\`: ${found}`,
    );
  const path = resolve(dir);
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) throw fail('no such folder');
  let top: string;
  try {
    const shown = await runGit(path, ['rev-parse', '--show-toplevel'], { env: gitEnvironment() });
    top = shown.stdout.trim();
  } catch (error) {
    throw fail(gitMessage(error));
  }
  const real = await realpath(path);
  if (top !== real) throw fail(`it is a folder inside the checkout ${top}`);
  return real;
}
