import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Claim } from '../daemon/claims.js';
import { thisHost } from '../runs/index.js';
import type { FleetRun } from '../runs/index.js';
import { messageOf, taskBranch } from '../daemon/task-run.js';
import type { TaskOutcome, TaskRunContext, TaskRunner } from '../daemon/task-run.js';
import type { GitRepo } from '../git/index.js';
import { runStopSteps, settledWithin } from './bounded-stop.js';
import type { StopStep } from './bounded-stop.js';
import { pushRef, remoteUrl } from './git-remote.js';
import { baseRefOf, jobConfigOf, jobIdOf, QUEUE_NAME } from './job.js';
import type { FleetJobData, FleetProgress, FleetResult } from './job.js';
import { JobWatch } from './job-watch.js';
import type { JobEnd } from './job-watch.js';
import { CoordinatorLease } from './lease.js';
import { QueueOutage } from './queue-outage.js';
import { connectRedis } from './redis.js';
import { jobFailureReason, settleResult } from './settle-result.js';

/**
 * The host a run record names once its task is handed to the queue: not this host, so the local
 * recovery of a dead daemon never settles it; the fleet's own recovery does, by its job.
 */
export const FLEET_HOST = 'fleet';

// Stopping with Redis unreachable must not wait for it: a job is withdrawn within WITHDRAW_MS or
// left in the queue, and closing gives up after CLOSE_MS.
const WITHDRAW_MS = 3000;
const CLOSE_MS = 5000;

/** The coordinator's side of the fleet: a runner for the daemon, and the queue it hands jobs to. */
export interface FleetCoordinator {
  runner: TaskRunner;
  queue: Queue<FleetJobData, FleetResult>;
  watch: JobWatch;
  /** The coordinator's own connection (the lease, the worker registry). */
  redis: Redis;
  /** Waits for a job, then turns its end into the task's outcome (used by recovery too). */
  outcomeOf: (task: QueuedTask, end: JobEnd) => Promise<TaskOutcome>;
  /** Runs `first` (the caller's own cleanups), then closes the queue; never waits for an outage. */
  close(first?: readonly StopStep[]): Promise<void>;
}

/** A task in the queue, as the coordinator needs it to settle the job's end. */
export interface QueuedTask {
  id: string;
  section: string;
  branch: string;
  base: string;
}

/** Connects to the queue, takes the coordinator lease (or throws QUEUE_TAKEN), builds the runner. */
export async function createFleetCoordinator(deps: {
  config: Config;
  queueUrl: string;
  repo: GitRepo;
  log: Logger;
  /** The lease was lost (another coordinator took over after an outage). */
  onLeaseLost: () => void;
}): Promise<FleetCoordinator> {
  const { config, repo, log } = deps;
  // Past the grace, tasks waiting for their jobs fail (see JobWatch); shorter outages fail none.
  const outage = new QueueOutage(deps.queueUrl, log, config.queueOutageGrace);
  const redis = connectRedis(deps.queueUrl, outage, 'coordinator');
  const lease = new CoordinatorLease(redis, `${thisHost()}:${String(process.pid)}`);
  try {
    await lease.acquire(deps.onLeaseLost);
  } catch (error) {
    redis.disconnect();
    outage.stop();
    throw error;
  }
  const queue = new Queue<FleetJobData, FleetResult>(QUEUE_NAME, { connection: redis });
  queue.on('error', outage.errorHandler('queue error'));
  const eventsRedis = connectRedis(deps.queueUrl, outage, 'events');
  const watch = new JobWatch(queue, eventsRedis, log, outage);
  await watch.ready();
  const url = await remoteUrl(repo.root, config.remote);

  async function outcomeOf(task: QueuedTask, end: JobEnd): Promise<TaskOutcome> {
    switch (end.kind) {
      case 'missing':
        return {
          kind: 'failed',
          reason: 'job vanished from the queue',
          commit: null,
          workflow: null,
        };
      case 'failed':
        return {
          kind: 'failed',
          reason: jobFailureReason(end.reason),
          commit: null,
          workflow: null,
        };
      case 'outage':
        return {
          kind: 'failed',
          reason: `${end.reason}; a worker that had the job may still finish it, unmerged (refs/adw/results/${task.id}/)`,
          commit: null,
          workflow: null,
        };
      default:
        log.info(
          { id: task.id, attempt: end.result.attempt, worker: end.result.worker },
          'job done',
        );
        return settleResult(repo, config, task, end.result);
    }
  }

  async function runner(claim: Claim, ctx: TaskRunContext): Promise<TaskOutcome> {
    const workflow = ctx.workflows.get(claim.task.workflow);
    if (workflow === undefined) {
      return {
        kind: 'failed',
        reason: `unknown workflow ${claim.task.workflow}`,
        commit: null,
        workflow: null,
      };
    }
    const { id } = claim;
    const jobId = jobIdOf(id);
    const section = claim.task.section;
    let base: string;
    try {
      base = await repo.ensureSectionBranch(section, config.baseRef);
      await pushRef(repo.root, config.remote, base, baseRefOf(id));
    } catch (error) {
      return { kind: 'failed', reason: messageOf(error), commit: null, workflow: null };
    }
    let fleet: FleetRun = { jobId, attempt: 0, worker: null, base };
    // From here the record names the queue, not this host: recovery of a dead coordinator leaves
    // it to the fleet's reconciliation, which finds the job again instead of failing the task.
    // Recorded before the job exists: a crash in between leaves a record without a job, which
    // recovery puts back to [], never a job without a record (which would run twice).
    await ctx.onProgress?.({ fleet, host: FLEET_HOST });
    const data: FleetJobData = {
      claim,
      base,
      baseRef: baseRefOf(id),
      remoteUrl: url,
      workflow,
      config: jobConfigOf(config),
      token: ctx.token,
    };
    const aborted = new Promise<'aborted'>((resolve) => {
      if (ctx.signal.aborted) resolve('aborted');
      ctx.signal.addEventListener('abort', () => {
        resolve('aborted');
      });
    });
    // Stopping while the queue cannot answer (an outage): the claim is kept (🟡, an active run
    // record naming the job) and the next start finds the job again, or puts the task back to []
    // when the job never reached the queue (recover-fleet-runs.ts). Never waits for Redis.
    const kept: TaskOutcome = { kind: 'released', reason: 'queue unreachable', kept: true };
    // The job ID is the task ID: adding it again after a restart is a no-op, never a second run.
    const add = queue.add('task', data, { jobId, removeOnComplete: false, removeOnFail: false });
    // Abandoned when stopping: a later failure (the connection closed) is no one's to hear.
    add.catch(() => undefined);
    if ((await Promise.race([add, aborted])) === 'aborted') return kept;
    let step: string | null = null;
    const onProgress = (progress: FleetProgress): void => {
      if (progress.step !== null && progress.step !== step) ctx.onStep(progress.step);
      // A worker's agent hit a rate limit: dispatch pauses here too, until the worker resumes.
      if (progress.rateLimit !== undefined) {
        ctx.pause?.rateLimited(progress.rateLimit.until, progress.rateLimit.message);
      }
      step = progress.step;
      fleet = { jobId, attempt: progress.attempt, worker: progress.worker, base };
      void ctx.onProgress?.({ fleet });
    };
    // A job no worker took yet is withdrawn; one that runs finishes on its worker unmerged.
    const withdrawn = async (): Promise<'withdrawn' | 'kept'> =>
      !outage.down && (await settledWithin(watch.withdraw(jobId), WITHDRAW_MS))
        ? 'withdrawn'
        : 'kept';
    const end = await Promise.race([watch.wait(jobId, onProgress), aborted.then(withdrawn)]);
    if (end === 'kept') return kept;
    if (end === 'withdrawn') return { kind: 'released' };
    if (end.kind === 'completed') {
      fleet = { jobId, attempt: end.result.attempt, worker: end.result.worker, base };
      await ctx.onProgress?.({ fleet, costUsd: end.result.workflow?.costUsd ?? null });
    }
    return outcomeOf({ id, section, branch: taskBranch(claim), base }, end);
  }

  return {
    runner,
    queue,
    watch,
    redis,
    outcomeOf,
    async close(first = []) {
      outage.stop();
      const inTime = await runStopSteps(
        [
          ...first,
          ['stop watching jobs', () => watch.close()],
          ['close the queue', () => queue.close()],
          ['release the lease', () => lease.release()],
          ['disconnect', () => redis.quit()],
          ['disconnect the events', () => eventsRedis.quit()],
        ],
        Date.now() + CLOSE_MS,
        log,
      );
      if (inTime) return;
      // Commands still waiting for Redis fail, and the connections stop retrying.
      redis.disconnect();
      eventsRedis.disconnect();
    },
  };
}
