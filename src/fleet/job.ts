import type { Config } from '../config/schema.js';
import type { Claim } from '../daemon/claims.js';
import type { ResolveAttempt } from '../land/resolve-conflict.js';
import type { Workflow, WorkflowOutcome } from '../workflows/index.js';

/** The BullMQ queue every coordinator and worker of one Redis database share. */
export const QUEUE_NAME = 'adw-tasks';

/** What the coordinator's configuration decides for a run; the worker keeps its own executables. */
export type JobConfig = Pick<
  Config,
  | 'agent'
  | 'command'
  | 'agentArgs'
  | 'model'
  | 'models'
  | 'prices'
  | 'stepTimeout'
  | 'idleTimeout'
  | 'retries'
  | 'hooks'
  | 'hooksTimeout'
  | 'linkDirs'
  | 'worktreeDir'
  | 'tasks'
  | 'onConflict'
>;

/** One job: everything a worker needs to run a claimed task away from the repository. */
export interface FleetJobData {
  claim: Claim;
  /** The commit the task starts from, reachable on the remote at `baseRef`. */
  base: string;
  baseRef: string;
  /** The URL the coordinator's remote has; a worker's `--remote` replaces it. */
  remoteUrl: string;
  workflow: Workflow;
  config: JobConfig;
  /** The run's containment token (ADW_RUN_TOKEN). */
  token: string | null;
}

/** What a worker reports while a job runs (BullMQ progress). */
export interface FleetProgress {
  step: string | null;
  attempt: number;
  worker: string;
  /** An agent of the job hit a rate limit: the worker waits until `until` (ms since the epoch). */
  rateLimit?: { until: number; message: string };
}

/** What a worker returns: the outcome of one attempt, fenced by job and attempt. */
export interface FleetResult {
  kind: 'done' | 'failed';
  attempt: number;
  worker: string;
  reason: string | null;
  /** The tip of the task branch, pushed to `ref` on the remote. */
  commit: string | null;
  ref: string | null;
  workflow: WorkflowOutcome | null;
  /** The end of each step's log, by step name. */
  logs: Record<string, string>;
  /** The `onConflict: "resolve"` attempt, when the merge with the section conflicted. */
  resolve?: ResolveAttempt;
}

/** The worker's identity as `status` shows it: `host:pid`. */
export function workerName(host: string, pid: number): string {
  return `${host}:${String(pid)}`;
}

/** The queue job of task ID (BullMQ refuses IDs that read as integers, as `12345678` would). */
export function jobIdOf(id: string): string {
  return `task-${id}`;
}

/** Where the coordinator pushes the base of task ID. */
export function baseRefOf(id: string): string {
  return `refs/adw/base/${id}`;
}

/** Where a worker pushes the result of one attempt: each attempt keeps its own ref. */
export function resultRefOf(id: string, attempt: number): string {
  return `refs/adw/results/${id}/${String(attempt)}`;
}

/** The configuration a job carries, taken from the coordinator's. */
export function jobConfigOf(config: Config): JobConfig {
  const { agent, command, agentArgs, model, models, prices, stepTimeout, idleTimeout } = config;
  const { retries, hooks, hooksTimeout, linkDirs, worktreeDir, tasks, onConflict } = config;
  return {
    agent,
    ...(command === undefined ? {} : { command }),
    agentArgs,
    ...(model === undefined ? {} : { model }),
    models,
    prices,
    stepTimeout,
    idleTimeout,
    retries,
    hooks,
    hooksTimeout,
    linkDirs,
    worktreeDir,
    tasks,
    onConflict,
  };
}
