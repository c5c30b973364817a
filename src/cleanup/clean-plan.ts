import { basename, dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { RunRecord } from '../runs/index.js';
import { isMergedInto } from '../git/delete-branch.js';
import type { GitRepo } from '../git/index.js';
import type { WorktreeInfo } from '../git/worktree-list.js';
import type { Task, TaskFile } from '../tasks/index.js';

/** What clean would do with one task worktree. */
export interface WorktreeVerdict {
  id: string;
  path: string;
  /** As shown: `trees/<ID>`. */
  shown: string;
  branch: string | null;
  task: Task | undefined;
  record: RunRecord | undefined;
  /** Null: it goes. Otherwise why it stays. */
  keep: string | null;
}

/** What `clean --branches` would do with one task branch. */
export interface BranchVerdict {
  branch: string;
  section: string;
  tip: string;
  keep: string | null;
}

/** What clean needs to judge. */
export interface CleanInput {
  repo: GitRepo;
  config: Config;
  file: TaskFile;
  records: ReadonlyMap<string, RunRecord>;
}

const LIVE = new Set(['starting', 'running']);

/**
 * The worktrees of `worktreeDir` and whether each can go: a done task's, or one whose task left
 * the file's IDs (released, retried, cancelled) and whose run is over. Never a dirty one or one
 * holding a commit no branch keeps.
 */
export async function judgeWorktrees(input: CleanInput): Promise<WorktreeVerdict[]> {
  const { repo, config, file, records } = input;
  const treesDir = resolve(repo.root, config.worktreeDir);
  const trees = (await repo.listWorktrees()).filter(
    (tree) => dirname(resolve(tree.path)) === treesDir,
  );
  const verdicts: WorktreeVerdict[] = [];
  for (const tree of trees) {
    const id = basename(tree.path);
    const task = file.tasks.find((candidate) => candidate.id === id);
    const record = records.get(id);
    verdicts.push({
      id,
      path: tree.path,
      shown: join(config.worktreeDir, id),
      branch: tree.branch,
      task,
      record,
      keep: await keepWorktree(repo, tree, task, record),
    });
  }
  return verdicts;
}

async function keepWorktree(
  repo: GitRepo,
  tree: WorktreeInfo,
  task: Task | undefined,
  record: RunRecord | undefined,
): Promise<string | null> {
  if (task === undefined) {
    if (record === undefined) return 'no task in the file has this ID';
    if (LIVE.has(record.status)) return 'its run is not over';
  } else if (task.status !== 'done') {
    return `task on line ${task.line} is ${task.status.replace('_', ' ')}`;
  }
  if (await repo.isDirty(tree.path)) return 'it has uncommitted changes';
  if (!(await repo.branchContains(tree.head)))
    return `its commit ${tree.head.slice(0, 9)} is on no branch`;
  return null;
}

/**
 * The task branches of the run records and whether each can be deleted: only one already merged
 * into its section branch, whose task is over, and that no worktree keeps checked out (after the
 * worktrees clean removes are gone).
 */
export async function judgeBranches(
  input: CleanInput,
  worktrees: readonly WorktreeVerdict[],
): Promise<BranchVerdict[]> {
  const { repo, records } = input;
  const removed = new Set(worktrees.filter((tree) => tree.keep === null).map((tree) => tree.path));
  const holders = new Map<string, string>();
  for (const tree of await repo.listWorktrees()) {
    if (tree.branch !== null && !removed.has(tree.path)) holders.set(tree.branch, tree.path);
  }
  const verdicts: BranchVerdict[] = [];
  for (const record of [...records.values()].sort((a, b) => a.branch.localeCompare(b.branch))) {
    const tip = await repo.resolveRef(`refs/heads/${record.branch}`);
    if (tip === null || record.branch === record.section) continue;
    let keep: string | null = null;
    const holder = holders.get(record.branch);
    if (LIVE.has(record.status)) keep = 'its run is not over';
    else if (holder !== undefined) keep = `checked out in ${holder}`;
    else if (!(await isMergedInto(repo, tip, record.section)))
      keep = `not merged into ${record.section}`;
    verdicts.push({ branch: record.branch, section: record.section, tip, keep });
  }
  return verdicts;
}
