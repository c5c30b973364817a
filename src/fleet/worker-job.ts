import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentSpecOf, stepLimitsOf } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import { runClaimedTask } from '../daemon/task-run.js';
import type { TaskOutcome } from '../daemon/task-run.js';
import { openRepo } from '../git/index.js';
import { gitEnvironment, runGit } from '../git/run-git.js';
import { WORKTREE_INCLUDE } from '../git/worktree-include.js';
import { linkExcludes } from '../hooks/link-dirs.js';
import { runWorkflow } from '../workflows/index.js';
import type { StepPause } from '../workflows/types.js';
import { fetchRef, fetchTip, pushRef } from './git-remote.js';
import { sectionRefOf } from './latest-section.js';
import { resultRefOf } from './job.js';
import type { FleetJobData, FleetResult } from './job.js';

const LOG_TAIL = 4000;
const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What one job run needs from its worker. */
export interface WorkerJobContext {
  /** The worker's folder: its cache repository and one folder per job. */
  dir: string;
  /** The worker's own configuration (executables, limits it does not take from the job). */
  config: Config;
  /** `--remote`: where this worker fetches and pushes; else the job's URL. */
  remote: string | null;
  worker: string;
  attempt: number;
  signal: AbortSignal;
  onStep: (step: string) => void;
  /** The worker's dispatch pause: a rate limit waits there and is reported to the coordinator. */
  pause: StepPause;
  /** Serializes fetches into the shared cache repository. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  /** `--include-from`: this machine's checkout, where ignored files and linked folders come from. */
  includeFrom: string | null;
  /** The job's repository takes `wanted` from a main checkout, and this worker has none. */
  onNoCheckout: (wanted: string) => void;
}

/** A job ended: its result, or `released` when the worker stops and hands it back. */
export type JobEnd = { kind: 'result'; result: FleetResult } | { kind: 'released' };

/**
 * Runs one job: fetches its base into the cache, makes a private repository (objects borrowed from
 * the cache, refs its own, so parallel jobs of one section never see each other's section branch),
 * runs the task with the daemon's own code, and pushes the task branch to this attempt's ref.
 */
export async function runFleetJob(data: FleetJobData, ctx: WorkerJobContext): Promise<JobEnd> {
  const { claim } = data;
  const end = (kind: FleetResult['kind'], rest: Partial<FleetResult>): JobEnd => ({
    kind: 'result',
    result: {
      kind,
      attempt: ctx.attempt,
      worker: ctx.worker,
      reason: null,
      commit: null,
      ref: null,
      workflow: null,
      logs: {},
      ...rest,
    },
  });
  if (!TASK_ID.test(claim.id)) return end('failed', { reason: `invalid task ID ${claim.id}` });
  const remote = ctx.remote ?? data.remoteUrl;
  const cache = join(ctx.dir, 'cache.git');
  const jobDir = join(ctx.dir, 'jobs', `${claim.id}-${String(ctx.attempt)}`);
  const env = gitEnvironment();
  const git = (cwd: string, args: string[]) => runGit(cwd, args, { env });
  await ctx.serial(async () => {
    if (!existsSync(join(cache, 'HEAD'))) await git(ctx.dir, ['init', '--quiet', '--bare', cache]);
    await fetchRef(cache, remote, data.baseRef, data.baseRef);
  });
  await rm(jobDir, { recursive: true, force: true });
  // What `git clone --shared --no-checkout` of the cache makes, without a fetch from it: a new
  // repository that borrows the cache's objects (objects/info/alternates).
  await git(ctx.dir, ['init', '--quiet', jobDir]);
  await writeFile(
    join(jobDir, '.git', 'objects', 'info', 'alternates'),
    `${join(cache, 'objects')}\n`,
  );
  const section = `refs/heads/${claim.task.section}`;
  await git(jobDir, ['update-ref', section, data.base]);
  // HEAD detached: no branch of this private repository counts as checked out.
  await git(jobDir, ['update-ref', '--no-deref', 'HEAD', data.base]);

  const config: Config = { ...ctx.config, ...data.config, baseRef: data.base };
  const runDir = join(jobDir, '.adw', 'runs', claim.id);
  const repo = await openRepo(jobDir);
  // Linked folders are symlinks, kept out of the task's commits as in the daemon's repository.
  await repo.excludeDaemonFolders(config.worktreeDir, linkExcludes(config.linkDirs));
  if (ctx.includeFrom === null) {
    const wanted = await takenFromCheckout(jobDir, data.base, config.linkDirs);
    if (wanted !== null) ctx.onNoCheckout(wanted);
  }
  // `onConflict: "resolve"`: the task merges into the tip the coordinator last published, so a
  // conflict with the tasks merged since the job began shows here, where the daemon's own resolve
  // code runs with the task's agent, instead of only at the coordinator, which runs none.
  const fetchLatestSection = async (): Promise<void> => {
    const latest = sectionRefOf(claim.task.section);
    try {
      const tip = await ctx.serial(() => fetchTip(cache, remote, latest, latest));
      await git(jobDir, ['update-ref', section, tip]);
    } catch {
      // Nothing published yet (no merge since the base): the section is the base.
    }
  };
  const outcome: TaskOutcome = await runClaimedTask(claim, {
    config,
    repo,
    workflows: new Map([[data.workflow.name, data.workflow]]),
    runWorkflow,
    runDir,
    agent: agentSpecOf(config, jobDir),
    limits: stepLimitsOf(config),
    token: data.token,
    agentEnv: {},
    signal: ctx.signal,
    onStep: ctx.onStep,
    onSpawn: () => undefined,
    pause: ctx.pause,
    // Without `resolve`, the merge into the base would only fast-forward a private ref: the
    // coordinator merges the result.
    ...(config.onConflict === 'resolve'
      ? { beforeFirstMerge: fetchLatestSection }
      : { merge: false }),
    // Without a checkout of its own nothing is copied or linked: the job clone has no files.
    ...(ctx.includeFrom === null ? {} : { setUpFrom: ctx.includeFrom }),
  });
  if (outcome.kind === 'released' || outcome.kind === 'cancelled') return { kind: 'released' };
  const logs = await logTails(runDir);
  let ref: string | null = null;
  if (outcome.commit !== null) {
    ref = resultRefOf(claim.id, ctx.attempt);
    await pushRef(jobDir, remote, outcome.commit, ref);
  }
  const common = {
    ...{ commit: outcome.commit, ref, workflow: outcome.workflow, logs },
    ...(outcome.resolve === undefined ? {} : { resolve: outcome.resolve }),
  };
  if (outcome.kind === 'failed') return end('failed', { ...common, reason: outcome.reason });
  // The work is on the remote now; a failed run's folder stays for inspection.
  await rm(jobDir, { recursive: true, force: true });
  return end('done', common);
}

// What a task of this repository takes from a main checkout: the files `.worktreeinclude` (at
// the base commit) names, the `linkDirs` folders; null when nothing.
async function takenFromCheckout(
  jobDir: string,
  base: string,
  dirs: readonly string[],
): Promise<string | null> {
  const listed = await runGit(jobDir, ['ls-tree', '--name-only', base, '--', WORKTREE_INCLUDE], {
    env: gitEnvironment(),
  });
  const wanted = listed.stdout.trim() === '' ? [] : [`the files ${WORKTREE_INCLUDE} names`];
  if (dirs.length > 0) wanted.push(`linkDirs (${dirs.join(', ')})`);
  return wanted.length === 0 ? null : wanted.join(' and ');
}

// The end of each step's log: enough to see why a step failed without the worker's disk.
async function logTails(runDir: string): Promise<Record<string, string>> {
  const logs: Record<string, string> = {};
  let names: string[];
  try {
    names = await readdir(runDir);
  } catch {
    return logs;
  }
  for (const name of names.filter((entry) => entry.endsWith('.log'))) {
    const text = await readFile(join(runDir, name), 'utf8');
    logs[name.slice(0, -4)] = text.slice(-LOG_TAIL);
  }
  return logs;
}
