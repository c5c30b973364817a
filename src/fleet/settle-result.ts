import type { Config } from '../config/schema.js';
import type { TaskOutcome } from '../daemon/task-run.js';
import { forbiddenChange, type GitRepo } from '../git/index.js';
import { fetchTip, pushRef } from './git-remote.js';
import { sectionRefOf } from './latest-section.js';
import { resultRefOf } from './job.js';
import type { FleetResult } from './job.js';

/** The task a result belongs to, as the coordinator knows it. */
export interface SettledTask {
  id: string;
  section: string;
  branch: string;
  base: string;
}

/** The reason of a job BullMQ failed: a lost worker, or the worker's own error. */
export function jobFailureReason(failedReason: string): string {
  return /stalled more than allowable limit/.test(failedReason)
    ? 'interrupted (worker lost)'
    : `worker: ${failedReason}`;
}

/**
 * Turns the accepted attempt's result into the task's outcome: fetches exactly that attempt's ref
 * into the task branch (a superseded attempt pushed to its own ref and is never fetched), checks
 * it is the commit the worker reported, then merges it into the section branch as a local run is.
 */
export async function settleResult(
  repo: GitRepo,
  config: Config,
  task: SettledTask,
  result: FleetResult,
): Promise<TaskOutcome> {
  const { workflow } = result;
  const resolve = result.resolve === undefined ? {} : { resolve: result.resolve };
  if (result.kind === 'failed') {
    const reason = result.reason ?? 'failed';
    return { kind: 'failed', reason, commit: result.commit, workflow, ...resolve };
  }
  const failed = (reason: string, commit: string | null = null): TaskOutcome => ({
    kind: 'failed',
    reason,
    commit,
    workflow,
    ...resolve,
  });
  const ref = resultRefOf(task.id, result.attempt);
  if (result.commit === null || result.ref !== ref) return failed('worker reported no result ref');
  const tip = await fetchTip(repo.root, config.remote, ref, `refs/heads/${task.branch}`);
  if (tip !== result.commit) {
    return failed(`result ref ${ref} holds ${tip.slice(0, 9)}, not the reported commit`, tip);
  }
  if ((await repo.commitsSince(task.base, tip)) === 0) return failed('agent made no changes');
  const forbidden = await forbiddenChange(repo, task.base, tip, config.tasks);
  if (forbidden !== null) {
    return failed(
      `task branch changes ${forbidden}, which agents may not (branch ${task.branch} kept, not merged)`,
      tip,
    );
  }
  const merge = await repo.mergeIntoSection(task.section, task.branch);
  switch (merge.kind) {
    case 'conflict':
      return failed(
        `merge conflict with ${task.section} in ${merge.paths.join(', ')} (branch ${task.branch} kept)`,
        tip,
      );
    case 'checked-out':
      return { kind: 'done', commit: tip, mergeWaiting: merge.worktree, workflow, ...resolve };
    default:
      await publishSection(repo, config, task.section);
      return { kind: 'done', commit: tip, mergeWaiting: null, workflow, ...resolve };
  }
}

// With `onConflict: "resolve"`, workers merge with the section's latest tip (see worker-job).
// Not published (a failed push): the worker merges with its base, and a conflict fails here.
async function publishSection(repo: GitRepo, config: Config, section: string): Promise<void> {
  if (config.onConflict !== 'resolve') return;
  const tip = await repo.resolveRef(section);
  if (tip === null) return;
  try {
    await pushRef(repo.root, config.remote, tip, sectionRefOf(section));
  } catch {
    // The next merge publishes again.
  }
}
