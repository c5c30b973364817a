import { AdwError } from '../errors.js';
import { withCommitIdentity } from './identity.js';
import { gitFailure, runGit } from './run-git.js';
import type { WorktreeInfo } from './worktree-list.js';

/** The outcome of merging a task branch into its section branch. */
export type MergeResult =
  | { kind: 'fast-forward' | 'merged' | 'up-to-date'; tip: string }
  | { kind: 'conflict'; paths: string[] }
  | { kind: 'checked-out'; worktree: string };

/** What the merge needs from the repository (run inside its queue). */
export interface MergeContext {
  root: string;
  env: NodeJS.ProcessEnv;
  /** The commit each name names, or null (one git process for all). */
  lookUpCommits(names: readonly string[]): Promise<(string | null)[]>;
  listWorktrees(): Promise<WorktreeInfo[]>;
}

// Two daemons on one repository merge into the same section at once: each lost race recomputes
// from the new tip, so allow as many rounds as there can be merges racing.
const ATTEMPTS = 20;

/**
 * Merges `taskBranch` into `section` with plumbing only, so that no working tree (the user's or
 * a task's) is touched: merge-base decides fast-forward, `merge-tree --write-tree` computes the
 * merged tree in the object store, `commit-tree` makes the merge commit, and `update-ref NEW OLD`
 * moves the branch only if it still points where we read it (compare-and-swap). If someone else
 * moved it meanwhile (the user committing, another daemon), the whole merge is recomputed from
 * the new tip. Must run inside the repository queue.
 */
export async function mergeIntoSection(
  context: MergeContext,
  section: string,
  taskBranch: string,
): Promise<MergeResult> {
  const ref = `refs/heads/${section}`;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    // A checked-out branch is never moved behind the user's back: their index and files would
    // silently stop matching HEAD.
    // Independent reads at once; nothing moves refs meanwhile but other daemons (the
    // compare-and-swap below catches them).
    const [worktrees, [old = null, task = null]] = await Promise.all([
      context.listWorktrees(),
      context.lookUpCommits([ref, taskBranch]),
    ]);
    const holder = worktrees.find((w) => w.branch === section);
    if (holder !== undefined) return { kind: 'checked-out', worktree: holder.path };
    if (old === null) {
      throw new AdwError('GIT_FAILED', `Cannot merge into ${section}: the branch does not exist`);
    }
    if (task === null) {
      throw new AdwError('GIT_FAILED', `Cannot merge ${taskBranch}: it does not name a commit`);
    }
    const outcome = await computeMerge(context, section, taskBranch, old, task);
    if (outcome.kind === 'done') return outcome.result;

    try {
      await runGit(
        context.root,
        ['update-ref', '-m', `adw-trigger: ${outcome.kind} ${taskBranch}`, ref, outcome.tip, old],
        { env: context.env },
      );
      return { kind: outcome.kind, tip: outcome.tip };
    } catch (error) {
      const [now = null] = await context.lookUpCommits([ref]);
      if (now !== old) continue; // moved under us: start again
      throw gitFailure('GIT_FAILED', `Cannot move ${section} to ${outcome.tip}`, error);
    }
  }
  throw new AdwError(
    'GIT_FAILED',
    `Cannot merge ${taskBranch} into ${section}: the branch kept moving (${ATTEMPTS} attempts)`,
  );
}

// Either a final result, or the new tip the section branch should move to.
type Computed =
  { kind: 'done'; result: MergeResult } | { kind: 'fast-forward' | 'merged'; tip: string };

async function computeMerge(
  context: MergeContext,
  section: string,
  taskBranch: string,
  old: string,
  task: string,
): Promise<Computed> {
  const env = context.env;
  // merge-base exits 1 (printing nothing) when the histories are unrelated; merge-tree says why.
  const base = (
    await runGit(context.root, ['merge-base', old, task], { env, okExitCodes: [1] })
  ).stdout.trim();
  if (base === task) return { kind: 'done', result: { kind: 'up-to-date', tip: old } };
  if (base === old) return { kind: 'fast-forward', tip: task };

  let merged;
  try {
    merged = await runGit(
      context.root,
      ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', old, task],
      { env, okExitCodes: [1] },
    );
  } catch (error) {
    throw gitFailure('GIT_FAILED', `Cannot merge ${taskBranch} into ${section}`, error);
  }
  // -z output: the tree id, then each conflicted path, all NUL-terminated.
  const [tree = '', ...paths] = merged.stdout.split('\0').filter((field) => field !== '');
  if (merged.exitCode === 1) return { kind: 'done', result: { kind: 'conflict', paths } };

  try {
    const commit = await runGit(
      context.root,
      ['commit-tree', tree, '-p', old, '-p', task, '-m', `Merge ${taskBranch} into ${section}`],
      { env: await withCommitIdentity(context.root, env) },
    );
    return { kind: 'merged', tip: commit.stdout.trim() };
  } catch (error) {
    throw gitFailure(
      'GIT_FAILED',
      `Cannot create the merge commit of ${taskBranch} into ${section}`,
      error,
    );
  }
}
