import { join } from 'node:path';
import { newRunToken, resolveModel } from '../agents/index.js';
import type { AgentSpec, StepLimits } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import { AgentWatch, forbiddenChange, type GitRepo } from '../git/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';
import type { FailedAttempt, StepPause } from '../workflows/types.js';
import { runLoggedHook, setUpWorktree, type TaskHookContext } from '../hooks/task-hooks.js';
import { resolveConflict, withoutResolveStep } from '../land/resolve-conflict.js';
import type { ResolveAttempt } from '../land/resolve-conflict.js';
import type { Claim } from './claims.js';
import { newRunRecord } from '../runs/index.js';
import type { RunOwner, RunProgress, RunRecord } from '../runs/index.js';
import type { InForce } from './config-in-force.js';

/**
 * How a claimed task ended. `released`: stopped by shutdown, to be put back to `[]`, unless
 * `kept`: its run goes on beyond this daemon (a fleet job the stopping coordinator could not
 * withdraw), so its claim and active run record stay for the next start to find;
 * `cancelled`: its line was deleted or `cancel` was asked (nothing merged, branch kept).
 */
export type TaskOutcome =
  | {
      kind: 'done';
      commit: string;
      mergeWaiting: string | null;
      workflow: WorkflowOutcome | null;
      resolve?: ResolveAttempt;
    }
  | {
      kind: 'failed';
      reason: string;
      commit: string | null;
      workflow: WorkflowOutcome | null;
      resolve?: ResolveAttempt;
    }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'released'; reason?: string; kept?: boolean };

/** What one task run needs from the daemon. */
export interface TaskRunContext {
  config: Config;
  repo: GitRepo;
  workflows: ReadonlyMap<string, Workflow>;
  runWorkflow: (job: WorkflowJob) => Promise<WorkflowOutcome>;
  runDir: string;
  agent: AgentSpec;
  limits: StepLimits;
  /** The run's containment token (ADW_RUN_TOKEN), kept in its run record. */
  token: string | null;
  agentEnv: Record<string, string>;
  signal: AbortSignal;
  onStep: (step: string) => void;
  onSpawn: (pid: number | null) => void;
  /** The daemon's dispatch pause, shared by every task. */
  pause?: StepPause;
  /** A failed agent attempt, for the run record. */
  onAttemptFailed?: (attempt: FailedAttempt) => void;
  /** Where `.worktreeinclude` files and `linkDirs` come from, when not the repository (a worker). */
  setUpFrom?: string;
  /** Progress a runner reports beyond steps (a remote run's attempt, worker and cost); resolves once recorded. */
  onProgress?: (progress: RunProgress) => Promise<void>;
  /**
   * Runs once, before the task's first merge into its section (not before the resolve step's
   * merge again): a worker brings its private section branch to the tip last published.
   */
  beforeFirstMerge?: (section: string) => Promise<void>;
  /**
   * False: the task ends at its branch's checked tip, unmerged, for the holder of the section
   * branch to merge (a fleet worker whose coordinator merges, when conflicts are not resolved on
   * the worker).
   */
  merge?: boolean;
}

/** Runs one claimed task to its outcome: locally (runClaimedTask) or elsewhere (the fleet). */
export type TaskRunner = (claim: Claim, ctx: TaskRunContext) => Promise<TaskOutcome>;

/** The branch of one task: `<section>-<ID>`. */
export function taskBranch(claim: Claim): string {
  return `${claim.task.section}-${claim.id}`;
}

/** The worktree of one task: `<worktreeDir>/<ID>` in the repository. */
export function taskWorktree(root: string, config: Config, id: string): string {
  return join(root, config.worktreeDir, id);
}

/** The run record of a new claim; its model resolved with the configuration in force now. */
export function claimRecord(
  claim: Claim,
  inForce: InForce,
  root: string,
  config: Config,
  owner: RunOwner,
): RunRecord {
  const workflow =
    inForce.workflows.find((candidate) => candidate.name === claim.task.workflow) ?? null;
  return newRunRecord(
    {
      id: claim.id,
      task: claim.task.description,
      section: claim.task.section,
      branch: taskBranch(claim),
      worktree: taskWorktree(root, config, claim.id),
      workflow: claim.task.workflow,
      model: resolveModel(claim.task, workflow, inForce.agent),
      runToken: newRunToken(),
      claimLine: claim.line,
      claimText: claim.originalText,
    },
    owner,
  );
}

/**
 * Runs one claimed task end to end: section branch, worktree and branch, the workflow, the commit
 * of leftovers, the check that there is new work, and the merge into the section branch. Never
 * throws for a task's own failure: that is a `failed` outcome with a one-line reason.
 */
export async function runClaimedTask(claim: Claim, ctx: TaskRunContext): Promise<TaskOutcome> {
  const { repo, config } = ctx;
  const section = claim.task.section;
  const branch = taskBranch(claim);
  const worktree = taskWorktree(repo.root, config, claim.id);
  // A function, not a value: the signal flips while we await.
  const aborted = (): boolean => ctx.signal.aborted;
  const workflow = ctx.workflows.get(claim.task.workflow);
  if (workflow === undefined) {
    return failed(`unknown workflow ${claim.task.workflow}`);
  }

  const watchFrom = AgentWatch.early(repo, { id: claim.id, worktree, branch });
  let base: string;
  try {
    base = await repo.ensureSectionBranch(section, config.baseRef);
    await repo.addWorktree(worktree, branch, base);
  } catch (error) {
    return failed(`could not create worktree: ${messageOf(error)}`);
  }
  if (aborted()) return { kind: 'released' };
  const hooks: TaskHookContext = {
    repo,
    config,
    runDir: ctx.runDir,
    signal: ctx.signal,
    task: { id: claim.id, section, branch, worktree },
    ...(ctx.setUpFrom === undefined ? {} : { source: ctx.setUpFrom }),
  };
  const setUp = await setUpWorktree(hooks);
  if (aborted()) return { kind: 'released' };
  if (setUp !== null) return failed(setUp);

  let watch: AgentWatch;
  try {
    watch = await watchFrom([section, branch], base);
  } catch (error) {
    return failed(`git: ${messageOf(error)}`);
  }
  // Set once a step was checked: a workflow that succeeded checked each step right after it.
  const checked = { step: false };
  const job: WorkflowJob = {
    workflow: withoutResolveStep(workflow),
    task: {
      id: claim.id,
      section,
      prompt: claim.task.prompt,
      details: claim.task.details,
      description: claim.task.description,
      modelTag: claim.task.modelTag,
    },
    branch,
    worktree,
    runDir: ctx.runDir,
    agent: ctx.agent,
    limits: ctx.limits,
    ...(ctx.token === null ? {} : { token: ctx.token }),
    env: ctx.agentEnv,
    signal: ctx.signal,
    onStep: ctx.onStep,
    onSpawn: ctx.onSpawn,
    afterStep: async () => {
      const reason = await watch.check();
      checked.step = true;
      return reason;
    },
    ...(ctx.pause === undefined ? {} : { pause: ctx.pause }),
    ...(ctx.onAttemptFailed === undefined ? {} : { onAttemptFailed: ctx.onAttemptFailed }),
  };
  const outcome = await ctx.runWorkflow(job);
  // Runs even when the workflow failed or was stopped: a moved branch is put back either way. A
  // workflow that succeeded ran nothing after its last step's check, which found nothing.
  const left = outcome.ok && checked.step ? null : await watch.check();
  // Shutdown stops the agents; such a run is neither a success nor a failure of the task.
  if (aborted()) return { kind: 'released' };
  await runLoggedHook(hooks, 'afterRun');
  if (left !== null) return failed(left, outcome);
  if (!outcome.ok) return failed(outcome.error ?? 'workflow failed', outcome);

  try {
    const committed = await repo.commitAll(worktree, claim.task.description, {
      'ADW-Id': claim.id,
    });
    // A HEAD on the task branch is its tip (read with the commit); elsewhere the branch is read.
    const onBranch = committed.head.branch === branch;
    const tip = onBranch ? committed.head.commit : await repo.resolveRef(branch);
    if (tip === null) return failed('agent made no changes', outcome);
    // Two independent reads at once; what the branch changes matters only when it has commits.
    const [count, forbidden] = await Promise.all([
      repo.commitsSince(base, tip),
      forbiddenChange(repo, base, tip, config.tasks),
    ]);
    if (count === 0) return failed('agent made no changes', outcome);
    if (forbidden !== null) {
      const reason = `task branch changes ${forbidden}, which agents may not (branch ${branch} kept, not merged)`;
      return { kind: 'failed', reason, commit: tip, workflow: outcome };
    }
    if (ctx.merge === false) {
      return { kind: 'done', commit: tip, mergeWaiting: null, workflow: outcome };
    }
    await ctx.beforeFirstMerge?.(section);
    let merge = await repo.mergeIntoSection(section, branch);
    const commit = (message: string) => repo.commitAll(worktree, message, { 'ADW-Id': claim.id });
    let resolved = null;
    if (merge.kind === 'conflict' && config.onConflict === 'resolve') {
      // A watch of its own: branches that moved while the first steps ran are not the resolve
      // step's doing.
      const again = await AgentWatch.start(repo, { id: claim.id, worktree, branch });
      const resolveJob = { ...job, workflow, afterStep: () => again.check() };
      const resolving = { repo, job: resolveJob, section, runWorkflow: ctx.runWorkflow, commit };
      resolved = await resolveConflict(resolving, merge.paths);
    }
    merge = resolved?.merge ?? merge;
    const extra = resolved === null ? {} : { resolve: resolved.attempt };
    // Only the resolve step adds commits to the branch after `tip`.
    const head = resolved === null ? tip : ((await repo.resolveRef(branch)) ?? tip);
    switch (merge.kind) {
      case 'conflict':
        return {
          kind: 'failed',
          reason: `merge conflict with ${section} in ${merge.paths.join(', ')} (${resolved === null ? '' : `${resolved.attempt.error ?? ''}; `}branch ${branch} kept)`,
          commit: head,
          workflow: outcome,
          ...extra,
        };
      case 'checked-out':
        return {
          kind: 'done',
          commit: head,
          mergeWaiting: merge.worktree,
          workflow: outcome,
          ...extra,
        };
      default:
        return { kind: 'done', commit: head, mergeWaiting: null, workflow: outcome, ...extra };
    }
  } catch (error) {
    return failed(`git: ${messageOf(error)}`, outcome);
  }
}

function failed(reason: string, workflow: WorkflowOutcome | null = null): TaskOutcome {
  return { kind: 'failed', reason, commit: null, workflow };
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
