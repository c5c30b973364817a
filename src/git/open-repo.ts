import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AdwError } from '../errors.js';
import { GitRepo } from './git-repo.js';
import { gitEnvironment, gitMessage, runGit } from './run-git.js';

/** Options of openRepo. */
export interface OpenRepoOptions {
  /** Base environment of every git command (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Opens the repository containing `dir`; throws NOT_A_REPO when `dir` is in no git work tree. */
export async function openRepo(dir: string, options: OpenRepoOptions = {}): Promise<GitRepo> {
  const env = gitEnvironment(options.env);
  const notARepo = (found: string, cause?: unknown) =>
    new AdwError('NOT_A_REPO', `${dir} is not inside a git work tree: ${found}`, { cause });
  if (!existsSync(dir)) throw notARepo('the directory does not exist');
  let lines: string[];
  try {
    const { stdout } = await runGit(
      dir,
      ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir'],
      { env },
    );
    lines = stdout.split('\n');
  } catch (error) {
    throw notARepo(gitMessage(error), error);
  }
  const [root = '', commonDir = ''] = lines;
  if (root === '' || !isAbsolute(root)) throw notARepo('git found no work tree');
  return new GitRepo(root, commonDir, env);
}
