import { join } from 'node:path';
import PQueue from 'p-queue';
import { withFileLock } from '../system/file-lock.js';
import { runGit, type GitOutput } from './run-git.js';

const queues = new Map<string, PQueue>();

/**
 * The one queue (concurrency 1) of a repository, shared by every GitRepo object for it. Every
 * command that creates, removes or lists worktrees or moves a ref runs here, one at a time. Keyed
 * by the common git dir, because linked worktrees of one repository share their refs and
 * `.git/worktrees`. In-process only: another process (a second daemon) is kept out of the
 * worktrees by withWorktreesLock, and out of the refs by git's own ref locks and our
 * compare-and-swap ref updates.
 */
export function queueFor(commonDir: string): PQueue {
  let queue = queues.get(commonDir);
  if (queue === undefined) {
    queue = new PQueue({ concurrency: 1 });
    queues.set(commonDir, queue);
  }
  return queue;
}

// A holder may be checking out a large tree (and running the repository's post-checkout hook):
// waited for patiently. A dead holder on this host is broken at once; a live one past this bound
// fails the command with the holder named.
const WORKTREES_LOCK_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs `fn`, a `git worktree` command (add, remove, prune, list), holding the repository's
 * worktree lock: `adw-worktrees.lock` in the common git dir, taken by every adw-trigger process
 * on the repository. Git does not lock `.git/worktrees/` while it writes an entry there, and
 * another git reading the half-written entry fails (`failed to read .git/worktrees/…/commondir`):
 * two daemons on one repository otherwise fail each other's `worktree add` and `worktree list` at
 * random. Called from inside the repository queue, so that one process never waits for itself
 * (the lock is not re-entrant).
 */
function withWorktreesLock<T>(commonDir: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(join(commonDir, 'adw-worktrees.lock'), fn, {
    timeoutMs: WORKTREES_LOCK_TIMEOUT_MS,
  });
}

/** `git worktree ARGS` in the repository at `root`, holding its worktree lock (inside its queue). */
export function runWorktreeGit(
  repo: { root: string; commonDir: string },
  env: NodeJS.ProcessEnv,
  args: readonly string[],
  okExitCodes: readonly number[] = [],
): Promise<GitOutput> {
  return withWorktreesLock(repo.commonDir, () =>
    runGit(repo.root, ['worktree', ...args], { env, okExitCodes }),
  );
}
