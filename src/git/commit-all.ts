import { HEADS } from './branch-guard.js';
import { withCommitIdentity } from './identity.js';
import { gitFailure, runGit } from './run-git.js';

/**
 * A worktree's HEAD: the branch it is on (its short name; null when detached) and its commit
 * (null before the first one).
 */
export interface WorktreeHead {
  branch: string | null;
  commit: string | null;
}

/** What a worktree holds that is not committed, and where its HEAD is. */
export interface WorktreeStatus {
  /** The changed and untracked paths (`status --porcelain=v2` entries): empty when clean. */
  entries: string[];
  head: WorktreeHead;
}

/** What commitAll did: the commit it made (null: nothing to commit), and HEAD after it. */
export interface Committed {
  made: string | null;
  head: WorktreeHead;
}

/**
 * A worktree's uncommitted changes and its HEAD, in one `git status`. Untracked files are counted
 * whatever status.showUntrackedFiles says, and submodules whatever their ignore setting: no
 * entries must mean there is nothing `add -A` would stage and nothing a removal would lose.
 */
export async function worktreeStatus(cwd: string, env: NodeJS.ProcessEnv): Promise<WorktreeStatus> {
  const args = ['status', '--porcelain=v2', '-z', '--branch', '--no-ahead-behind'];
  args.push('--untracked-files=all', '--ignore-submodules=none');
  const { stdout } = await runGit(cwd, args, { env });
  const entries: string[] = [];
  const head: WorktreeHead = { branch: null, commit: null };
  for (const field of stdout.split('\0')) {
    if (field === '') continue;
    if (!field.startsWith('# ')) entries.push(field);
    else if (field.startsWith('# branch.oid ') && field !== '# branch.oid (initial)')
      head.commit = field.slice('# branch.oid '.length);
    else if (field.startsWith('# branch.head ') && field !== '# branch.head (detached)')
      head.branch = field.slice('# branch.head '.length);
  }
  return { entries, head };
}

/**
 * Stages everything in the worktree `cwd` and commits it (message, blank line, `Key: value`
 * trailers). Returns the commit made (null when there was nothing to commit) and the worktree's
 * HEAD after it, read with the status or with the commit: no process more to learn where the
 * branch now is.
 */
export async function commitAll(
  cwd: string,
  env: NodeJS.ProcessEnv,
  message: string,
  trailers: Record<string, string>,
): Promise<Committed> {
  const git = (args: string[], commitEnv = env) => runGit(cwd, args, { env: commitEnv });
  try {
    const status = await worktreeStatus(cwd, env);
    const nothing = { made: null, head: status.head };
    if (status.entries.length === 0) return nothing;
    await git(['add', '-A']);
    // Still needed: a submodule with changed files shows in status but stages nothing.
    const staged = await git(['diff', '--cached', '--name-only', '-z']);
    if (staged.stdout === '') return nothing;
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
    // The commit, then the branch HEAD is on (`HEAD` when detached), in one process.
    const [made = '', symbolic = ''] = (
      await git(['rev-parse', 'HEAD', '--symbolic-full-name', 'HEAD'])
    ).stdout.split('\n');
    const branch = symbolic.startsWith(HEADS) ? symbolic.slice(HEADS.length) : null;
    return { made, head: { branch, commit: made } };
  } catch (error) {
    throw gitFailure('GIT_FAILED', `Cannot commit in ${cwd}`, error);
  }
}
