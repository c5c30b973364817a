import PQueue from 'p-queue';

const queues = new Map<string, PQueue>();

/**
 * The one queue (concurrency 1) of a repository, shared by every GitRepo object for it. Git
 * takes a lock per ref but not around the creation of `.git/worktrees/<name>/`: two concurrent
 * `git worktree add` in one repository fail at random with `failed to read
 * .git/worktrees/…/commondir` (one reads the other's half-written entry), and `worktree list`
 * can see such an entry too. So every command that creates, removes or lists worktrees or moves a
 * ref runs here, one at a time. Keyed by the common git dir, because linked worktrees of one
 * repository share their refs and `.git/worktrees`. In-process only: another process (a second
 * daemon) is protected by git's own ref locks and our compare-and-swap ref updates.
 */
export function queueFor(commonDir: string): PQueue {
  let queue = queues.get(commonDir);
  if (queue === undefined) {
    queue = new PQueue({ concurrency: 1 });
    queues.set(commonDir, queue);
  }
  return queue;
}
