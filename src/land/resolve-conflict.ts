import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRepo } from '../git/index.js';
import type { MergeResult } from '../git/merge-into-section.js';
import { withCommitIdentity } from '../git/identity.js';
import { gitEnvironment, runGit } from '../git/run-git.js';
import type { Step, Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';

/** What an attempt to resolve a conflict did: kept in run.json. */
export interface ResolveAttempt {
  paths: string[];
  ok: boolean;
  /** Paths still conflicted or holding markers afterwards. */
  left: string[];
  error: string | null;
  costUsd: number | null;
}

/** The name of the step a workflow may define to override the built-in resolve prompt. */
export const RESOLVE_STEP = 'resolve';

const MARKER = /^(?:<{7}|={7}|>{7})(?: |$)/m;

/** The workflow without its `## resolve` step, which runs only when a merge conflicts. */
export function withoutResolveStep(workflow: Workflow): Workflow {
  return { ...workflow, steps: workflow.steps.filter((step) => step.name !== RESOLVE_STEP) };
}

function builtinStep(paths: readonly string[]): Step {
  const listed = paths.map((path) => `- ${path}`).join('\n');
  const template = `You are in a git worktree at {{worktree}}, on branch {{branch}} (task {{id}}). The task was:

{{task}}

Merging section branch {{section}} into this branch stopped with conflicts in:

${listed}

Resolve every conflict so that both the section's changes and this task's changes are kept
and work together: edit each file, remove every conflict marker, run the project's checks if it
has any, then \`git add\` the files and \`git commit --no-edit\` to conclude the merge. Do not
abort the merge, do not switch branches. If the conflict cannot be resolved, end your answer with
a line that says only \`WORK_RESULT:failed\`.`;
  return { name: RESOLVE_STEP, kind: 'agent', template, line: 0 };
}

async function unmergedPaths(worktree: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await runGit(worktree, ['diff', '--name-only', '-z', '--diff-filter=U'], {
    env,
  });
  return stdout.split('\0').filter((path) => path !== '');
}

async function withMarkers(worktree: string, paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const text = await readFile(join(worktree, path), 'utf8').catch(() => '');
    if (MARKER.test(text)) found.push(path);
  }
  return found;
}

/** What resolving needs: the task's job (worktree, config, agent…) and how to run a workflow. */
export interface ResolveContext {
  repo: GitRepo;
  job: WorkflowJob;
  section: string;
  runWorkflow: (job: WorkflowJob) => Promise<WorkflowOutcome>;
  commit: (message: string) => Promise<unknown>;
}

/**
 * `onConflict: "resolve"`: merges the section tip into the task branch inside the task's own
 * worktree, runs the resolve step (the workflow's `## resolve`, else a built-in prompt naming the
 * paths) with the task's agent and model, then the workflow's validation (sh) steps, checks that
 * no path is left conflicted or holds markers, and merges into the section again.
 */
export async function resolveConflict(
  ctx: ResolveContext,
  paths: string[],
): Promise<{ merge: MergeResult; attempt: ResolveAttempt }> {
  const { repo, job, section } = ctx;
  const worktree = job.worktree;
  const env = await withCommitIdentity(worktree, gitEnvironment());
  const attempt: ResolveAttempt = { paths, ok: false, left: paths, error: null, costUsd: null };
  const fail = (error: string) => {
    attempt.error = error;
    return { merge: { kind: 'conflict' as const, paths: attempt.left }, attempt };
  };
  await runGit(worktree, ['merge', '--no-ff', '--no-edit', `refs/heads/${section}`], {
    env,
    okExitCodes: [1],
  });
  const conflicted = await unmergedPaths(worktree, env);
  if (conflicted.length > 0) attempt.paths = conflicted;
  const own = job.workflow.steps.find((step) => step.name === RESOLVE_STEP);
  const steps = [
    own ?? builtinStep(attempt.paths),
    ...job.workflow.steps.filter((step) => step.kind === 'sh'),
  ];
  const outcome = await ctx.runWorkflow({ ...job, workflow: { ...job.workflow, steps } });
  attempt.costUsd = outcome.costUsd;
  const still = await unmergedPaths(worktree, env);
  attempt.left = [...new Set([...still, ...(await withMarkers(worktree, attempt.paths))])];
  if (attempt.left.length > 0) return fail('conflict markers left after the resolve step');
  if (!outcome.ok) return fail(outcome.error ?? 'the resolve step failed');
  await ctx.commit(`Merge ${section} into ${job.branch}`);
  const merge = await repo.mergeIntoSection(section, job.branch);
  if (merge.kind === 'conflict') {
    attempt.left = merge.paths;
    return fail('still conflicting after the resolve step');
  }
  attempt.ok = true;
  return { merge, attempt };
}
