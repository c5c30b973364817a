import { runGit } from './run-git.js';

/** Every local branch and the commit it names: `refs/heads/NAME` → sha. */
export type BranchSnapshot = ReadonlyMap<string, string>;

/** What the guard needs from the repository (run inside its queue: it moves refs). */
export interface GuardContext {
  root: string;
  env: NodeJS.ProcessEnv;
}

/** One task's worktree as the daemon left it before the agent ran. */
export interface GuardedTask {
  id: string;
  worktree: string;
  /** The task branch (short name): the only branch the agent may move. */
  branch: string;
  /** The branches before the agent ran. */
  before: BranchSnapshot;
}

// Every move the daemon makes carries this reflog message prefix (update-ref -m).
const DAEMON_MOVE = 'adw-trigger:';
export const HEADS = 'refs/heads/';

/** Reads every local branch (`for-each-ref refs/heads/`). */
export async function snapshotBranches(context: GuardContext): Promise<BranchSnapshot> {
  return (await readBranches(context.root, context.env)).branches;
}

/**
 * Every local branch, and the one `cwd`'s HEAD is on (`refs/heads/NAME`; '' when detached), in
 * one `for-each-ref`: `%(HEAD)` marks the branch checked out where it runs.
 */
async function readBranches(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ branches: BranchSnapshot; head: string }> {
  const { stdout } = await runGit(
    cwd,
    ['for-each-ref', '--format=%(HEAD)%00%(refname)%00%(objectname)', HEADS],
    { env },
  );
  const branches = new Map<string, string>();
  let head = '';
  for (const line of stdout.split('\n')) {
    const [mark = '', ref = '', sha = ''] = line.split('\0');
    if (ref === '' || sha === '') continue;
    branches.set(ref, sha);
    if (mark === '*') head = ref;
  }
  return { branches, head };
}

/** Where the kept commits of task `id` that were on `what` (a branch or HEAD) are saved. */
export function keptRef(id: string, what: string): string {
  return `refs/adw/kept/${id}/${what}`;
}

/**
 * Checks that the agent stayed on its branch and moved no other one; undoes what it did outside
 * it. A branch the agent moved (one that gained commits the agent's HEAD made or visited, the
 * section included) is put back to where it was before the agent's first move,
 * and its tip is kept under `refs/adw/kept/ID/BRANCH`; a worktree left off its branch is detached
 * (so it holds no branch) and a detached HEAD's commits are kept under `refs/adw/kept/ID/HEAD`.
 * Moves by the daemon (its merges, while the agent ran) and by the user are left alone. Returns
 * the one-line reason the task fails, or null when the agent kept to its branch.
 */
export async function guardBranches(
  context: GuardContext,
  task: GuardedTask,
): Promise<string | null> {
  const inTree = (args: string[]) => runGit(task.worktree, args, { env: context.env });
  const git = (args: string[]) => runGit(context.root, args, { env: context.env });
  // One read in the worktree: every branch, and the one its HEAD is on. On its own branch, HEAD's
  // commit is that branch's tip; otherwise (the agent's failure) it is read on its own.
  const { branches: after, head } = await readBranches(task.worktree, context.env);
  const onBranchTip = head === HEADS + task.branch ? after.get(head) : undefined;
  const headSha = onBranchTip ?? (await inTree(['rev-parse', 'HEAD'])).stdout.trim();
  // The commits the agent made: read only when a moved branch has to be judged by them.
  let agentShas: Promise<Set<string>> | null = null;
  const agentCommits = () => (agentShas ??= agentMade(context, task, headSha));

  const reasons: string[] = [];
  if (head !== HEADS + task.branch) {
    const now = head.startsWith(HEADS)
      ? head.slice(HEADS.length)
      : `detached HEAD at ${headSha.slice(0, 7)}`;
    reasons.push(`agent left its branch (now on ${now})`);
    // HEAD itself set to its commit: no branch stays checked out here, and neither the files nor
    // the index are touched (a worktree in the middle of a merge cannot refuse it).
    if (head !== '') await inTree(['update-ref', '--no-deref', 'HEAD', headSha]);
    else if (!(await onSomeBranch(context, headSha))) {
      await git(['update-ref', keptRef(task.id, 'HEAD'), headSha]);
      reasons.push(`its commits kept as ${keptRef(task.id, 'HEAD')}`);
    }
  }

  // Only a branch that moved and holds one of the agent's commits can be its doing; one process
  // finds those among all the moved ones (at concurrency, other tasks' agents move theirs).
  const moved = [...task.before].filter(
    ([ref, old]) => ref !== HEADS + task.branch && after.get(ref) !== old,
  );
  const suspects = moved.length === 0 ? new Set() : await holding(context, await agentCommits());
  for (const [ref, old] of moved) {
    if (!suspects.has(ref)) continue;
    const name = ref.slice(HEADS.length);
    const tip = after.get(ref) ?? null;
    const moves = await movesSince(context, ref, old);
    if (moves.foreign === null) continue; // only the daemon moved it
    // Another task's agent, or the user, may have moved it: only this agent's commits count.
    if (!(await passedThrough(context, old, tip, await agentCommits()))) continue;
    const restoreTo = moves.foreign;
    if (tip !== null) await git(['update-ref', keptRef(task.id, name), tip]);
    const kept = tip === null ? 'deleted' : `kept as ${keptRef(task.id, name)}`;
    if (moves.daemonAfter) {
      reasons.push(`agent moved branch ${name} (${kept}; not put back: merged on since)`);
      continue;
    }
    await git([
      'update-ref',
      '-m',
      `${DAEMON_MOVE} put back after task ${task.id}`,
      ref,
      restoreTo,
      tip ?? '',
    ]);
    reasons.push(`agent moved branch ${name} (${kept})`);
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

// The commits among those the worktree's HEAD pointed at (its reflog, and `headSha`) that no
// branch held before the agent ran: the ones it made.
async function agentMade(
  context: GuardContext,
  task: GuardedTask,
  headSha: string,
): Promise<Set<string>> {
  const history = await headHistory(task.worktree, context.env);
  history.add(headSha);
  return newCommits(context, history, task.before);
}

// The commits the worktree's own HEAD pointed at (its reflog): what the agent made or visited.
async function headHistory(worktree: string, env: NodeJS.ProcessEnv): Promise<Set<string>> {
  const { stdout } = await runGit(worktree, ['reflog', 'show', '--format=%H', 'HEAD', '--'], {
    env,
    okExitCodes: [128],
  });
  return new Set(stdout.split('\n').filter((line) => line !== ''));
}

// The commits among `shas` that no branch held before the agent ran: the ones it made.
async function newCommits(
  context: GuardContext,
  shas: ReadonlySet<string>,
  before: BranchSnapshot,
): Promise<Set<string>> {
  const args = ['rev-list', '--ignore-missing', '--max-count=1000', ...shas, '--not'];
  const { stdout } = await runGit(context.root, [...args, ...new Set(before.values())], {
    env: context.env,
  });
  return new Set(stdout.split('\n').filter((line) => line !== ''));
}

async function onSomeBranch(context: GuardContext, sha: string): Promise<boolean> {
  const { stdout } = await runGit(
    context.root,
    ['for-each-ref', '--count=1', '--contains', sha, '--format=%(refname)', HEADS],
    { env: context.env },
  );
  return stdout.trim() !== '';
}

// The branches that contain any of `shas` (none when it is empty).
async function holding(context: GuardContext, shas: ReadonlySet<string>): Promise<Set<string>> {
  if (shas.size === 0) return new Set();
  const contains = [...shas].map((sha) => `--contains=${sha}`);
  const { stdout } = await runGit(
    context.root,
    ['for-each-ref', '--format=%(refname)', ...contains, HEADS],
    { env: context.env },
  );
  return new Set(stdout.split('\n').filter((line) => line !== ''));
}

// Whether any commit the branch gained (old..tip), or its new tip, is one the agent's HEAD held.
async function passedThrough(
  context: GuardContext,
  old: string,
  tip: string | null,
  agentShas: ReadonlySet<string>,
): Promise<boolean> {
  if (tip === null) return false;
  if (agentShas.has(tip)) return true;
  const { stdout } = await runGit(context.root, ['rev-list', '--max-count=1000', tip, `^${old}`], {
    env: context.env,
  });
  return stdout.split('\n').some((sha) => agentShas.has(sha));
}

/**
 * The moves of `ref` since it named `old`, from its reflog: `foreign` is where it stood before the
 * first move that was not the daemon's (null when all were), `daemonAfter` whether the daemon
 * moved it after that. Without a reflog reaching `old`, every move counts as foreign.
 */
async function movesSince(
  context: GuardContext,
  ref: string,
  old: string,
): Promise<{ foreign: string | null; daemonAfter: boolean }> {
  const { stdout } = await runGit(
    context.root,
    ['reflog', 'show', '--format=%H%x00%gs', ref, '--'],
    { env: context.env, okExitCodes: [128] },
  );
  // Newest first; stop at the entry that set `old`.
  const entries: { sha: string; daemon: boolean }[] = [];
  let found = false;
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [sha = '', subject = ''] = line.split('\0');
    if (sha === old) {
      found = true;
      break;
    }
    entries.push({ sha, daemon: subject.startsWith(DAEMON_MOVE) });
  }
  if (!found) return { foreign: old, daemonAfter: false };
  entries.reverse(); // oldest first
  const first = entries.findIndex((entry) => !entry.daemon);
  if (first === -1) return { foreign: null, daemonAfter: false };
  const before = first === 0 ? old : (entries[first - 1]?.sha ?? old);
  return { foreign: before, daemonAfter: entries.slice(first).some((entry) => entry.daemon) };
}
