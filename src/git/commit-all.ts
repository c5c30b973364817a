import { withCommitIdentity } from './identity.js';
import { gitFailure, runGit } from './run-git.js';

/**
 * The changed and untracked paths of a worktree (`status --porcelain` entries). Untracked files
 * are counted whatever status.showUntrackedFiles says, and submodules whatever their ignore
 * setting: an empty list must mean there is nothing `add -A` would stage and nothing a removal
 * would lose.
 */
export async function changedEntries(cwd: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const args = ['status', '--porcelain', '-z', '--untracked-files=all', '--ignore-submodules=none'];
  const { stdout } = await runGit(cwd, args, { env });
  return stdout.split('\0').filter((entry) => entry !== '');
}

/**
 * Stages everything in the worktree `cwd` and commits it (message, blank line, `Key: value`
 * trailers); null when there is nothing to commit.
 */
export async function commitAll(
  cwd: string,
  env: NodeJS.ProcessEnv,
  message: string,
  trailers: Record<string, string>,
): Promise<string | null> {
  const git = (args: string[], commitEnv = env) => runGit(cwd, args, { env: commitEnv });
  try {
    if ((await changedEntries(cwd, env)).length === 0) return null;
    await git(['add', '-A']);
    // Still needed: a submodule with changed files shows in status but stages nothing.
    const staged = await git(['diff', '--cached', '--name-only', '-z']);
    if (staged.stdout === '') return null;
    const trailerLines = Object.entries(trailers).map(
      ([key, value]) => `${key}: ${value.replace(/\s*[\r\n]+\s*/g, ' ')}`,
    );
    // No automatic maintenance: a background auto-gc (pack-refs, prune) must not start from the
    // daemon's commits while it is moving refs; the user's own git commands still run it.
    // maintenance.auto=false spares even the `git maintenance run --auto` process that decides.
    const args = ['-c', 'maintenance.auto=false', 'commit', '--cleanup=whitespace'];
    args.push('-m', message.trim() === '' ? 'adw-trigger commit' : message);
    if (trailerLines.length > 0) args.push('-m', trailerLines.join('\n'));
    await git(args, await withCommitIdentity(cwd, env));
    return (await git(['rev-parse', 'HEAD'])).stdout.trim();
  } catch (error) {
    throw gitFailure('GIT_FAILED', `Cannot commit in ${cwd}`, error);
  }
}
