import { mkdir } from 'node:fs/promises';
import { Worker, WaitingError } from 'bullmq';
import PQueue from 'p-queue';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { thisHost } from '../runs/index.js';
import { DispatchPause } from '../daemon/dispatch-pause.js';
import { messageOf } from '../daemon/task-run.js';
import { runStopSteps, settledWithin } from './bounded-stop.js';
import { QUEUE_NAME, workerName } from './job.js';
import type { FleetJobData, FleetProgress, FleetResult } from './job.js';
import { includeSource } from './include-source.js';
import { QueueOutage } from './queue-outage.js';
import { connectRedis } from './redis.js';
import { runFleetJob } from './worker-job.js';
import { removeBeacon, writeBeacon } from './worker-beacon.js';
import { publishWorker, withdrawWorker } from './worker-registry.js';
import type { WorkerInfo } from './worker-registry.js';

/** What a fleet worker is started with. */
export interface FleetWorkerOptions {
  queue: string;
  dir: string;
  remote: string | null;
  /** Agent kinds this worker runs; null: every kind. */
  allowAgents: readonly string[] | null;
  /** A checkout of the project on this machine: `.worktreeinclude` files and `linkDirs` come from it. */
  includeFrom: string | null;
  config: Config;
  log: Logger;
}

/** A running fleet worker. */
export interface FleetWorker {
  name: string;
  /** Stops its agents, hands its jobs back to the queue, and closes; every caller shares it. */
  stop(): Promise<void>;
}

const PUBLISH_MS = 5000;
// SIGTERM must end a worker within 10 s, Redis reachable or not: its agents get the first seconds
// to stop (SIGTERM, then SIGKILL after 5 s), a job 2 s to go back to the queue, the rest the time
// left before STOP_MS.
const HANDBACK_MS = 2000;
const STOP_MS = 8500;

/** Starts a worker: takes jobs from the queue, runs each as the daemon would, reports back. */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  const { config, log } = options;
  // Checked before anything is made: a wrong folder stops the worker with nothing changed.
  const includeFrom =
    options.includeFrom === null ? null : await includeSource(options.includeFrom);
  await mkdir(options.dir, { recursive: true });
  const host = thisHost();
  const name = workerName(host, process.pid);
  // A worker waits out any outage (its connections reconnect by themselves), logging it once.
  const outage = new QueueOutage(options.queue, log, null);
  const redis = connectRedis(options.queue, outage, 'worker');
  const running = new Map<string, WorkerInfo['running'][number]>();
  let toldNoCheckout = false;
  // The jobs being processed, until their processor returns: stopping waits for them (bounded).
  const active = new Set<Promise<unknown>>();
  let stopping: Promise<void> | null = null;
  // Fetches into the shared cache repository, one at a time (git locks its refs).
  const cacheQueue = new PQueue({ concurrency: 1 });
  // A rate limit pauses every agent step of this worker until its reset, as in a local daemon.
  const pause = new DispatchPause({
    adwDir: options.dir,
    owner: { host },
    log,
    retryBackoffMs: config.retryBackoff,
    maxRetryBackoffMs: config.maxRetryBackoff,
    onResume: () => undefined,
  });

  // Stopping: the job goes back to the front of the queue for another worker, at once and without
  // counting as a failure or a stall. With Redis unreachable it cannot: it keeps its lock until the
  // lock runs out, and then BullMQ's stalled-job detection gives it to another worker.
  async function handBack(job: Job<FleetJobData, FleetResult>, token?: string): Promise<never> {
    const { id } = job.data.claim;
    const attempt = job.attemptsStarted;
    let handed = false;
    try {
      handed = await settledWithin(job.moveToWait(token), HANDBACK_MS);
    } catch (error) {
      log.debug({ id, err: messageOf(error) }, 'handing the job back failed');
    }
    if (handed) log.info({ id, attempt }, 'job handed back');
    else {
      log.warn(
        { id, attempt },
        'could not hand the job back (queue unreachable): left to stalled-job detection, which gives it to another worker once its lock runs out',
      );
    }
    throw new WaitingError();
  }

  function processJob(
    job: Job<FleetJobData, FleetResult>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<FleetResult> {
    // A job fetched while stopping never starts.
    const work = stopping === null ? runJob(job, token, signal) : handBack(job, token);
    active.add(work);
    return work.finally(() => active.delete(work));
  }

  async function runJob(
    job: Job<FleetJobData, FleetResult>,
    token?: string,
    signal?: AbortSignal,
  ): Promise<FleetResult> {
    const { claim, config: jobConfig } = job.data;
    const attempt = job.attemptsStarted;
    const entry = { id: claim.id, attempt, step: null as string | null };
    running.set(claim.id, entry);
    const report = (data: FleetProgress): void => {
      job.updateProgress(data as unknown as object).catch((error: unknown) => {
        log.warn({ id: claim.id, err: messageOf(error) }, 'could not report progress');
      });
    };
    const progress = (step: string | null): void => {
      entry.step = step;
      report({ step, attempt, worker: name });
    };
    // The coordinator hears the limit and pauses its dispatch until the same time.
    const jobPause = {
      ready: (wait?: AbortSignal) => pause.ready(wait),
      rateLimited: (resetAt: number | null, message: string) => {
        pause.rateLimited(resetAt, message);
        const until = pause.current()?.until;
        if (until == null) return;
        const rateLimit = { until: Date.parse(until), message };
        report({ step: entry.step, attempt, worker: name, rateLimit });
      },
    };
    log.info({ id: claim.id, attempt, section: claim.task.section }, 'job started');
    try {
      if (options.allowAgents !== null && !options.allowAgents.includes(jobConfig.agent)) {
        const reason = `agent ${jobConfig.agent} is not allowed on worker ${name} (--allow-agents ${options.allowAgents.join(',')})`;
        const result: FleetResult = {
          ...{ kind: 'failed', attempt, worker: name, reason, commit: null, ref: null },
          ...{ workflow: null, logs: {} },
        };
        return result;
      }
      progress(null);
      const end = await runFleetJob(job.data, {
        dir: options.dir,
        config,
        remote: options.remote,
        worker: name,
        attempt,
        signal: signal ?? new AbortController().signal,
        onStep: progress,
        pause: jobPause,
        serial: (work) => cacheQueue.add(work),
        includeFrom,
        onNoCheckout: (wanted) => {
          // Once per worker: every job of that repository would say the same.
          if (toldNoCheckout) return;
          toldNoCheckout = true;
          log.warn(
            { id: claim.id, wanted },
            `the job's repository takes ${wanted} from a main checkout, and this worker has none (--include-from DIR): nothing is copied or linked; said once`,
          );
        },
      });
      if (end.kind === 'released') return await handBack(job, token);
      log.info({ id: claim.id, attempt, kind: end.result.kind }, 'job finished');
      return end.result;
    } finally {
      running.delete(claim.id);
    }
  }

  const worker = new Worker<FleetJobData, FleetResult>(QUEUE_NAME, processJob, {
    connection: redis,
    name,
    concurrency: config.concurrency,
    // Every worker checks for stalled jobs: the same settings everywhere.
    lockDuration: config.queueLockDuration,
    stalledInterval: config.queueStalledInterval,
    // A job whose worker was lost runs again, up to `retries` + 1 attempts in all.
    maxStalledCount: config.retries,
  });
  worker.on('error', outage.errorHandler('worker error'));
  const publish = async (): Promise<void> => {
    const info: WorkerInfo = {
      name,
      host,
      pid: process.pid,
      slots: config.concurrency,
      running: [...running.values()],
      lastSeen: new Date().toISOString(),
    };
    await writeBeacon(options.dir, { name, pid: process.pid, heartbeat: info.lastSeen });
    await publishWorker(redis, info);
  };
  const timer = setInterval(() => {
    publish().catch(() => undefined);
  }, PUBLISH_MS);
  await publish();
  log.info(
    { name, concurrency: config.concurrency, dir: options.dir, includeFrom },
    'worker waiting for jobs',
  );

  return {
    name,
    stop() {
      stopping ??= (async () => {
        const deadline = Date.now() + STOP_MS;
        clearInterval(timer);
        // Agents stop, and each job goes back to the queue (handBack).
        worker.cancelAllJobs('worker stopping');
        const ending = Promise.allSettled([...active]);
        if (!(await settledWithin(ending, Math.max(0, deadline - Date.now())))) {
          log.warn('jobs still ending while stopping: left to stalled-job detection');
        }
        const inTime = await runStopSteps(
          [
            // Forced: this worker's own jobs have ended; a graceful close would also wait for
            // BullMQ's fetch loop, which waits for Redis as long as it is unreachable.
            ['close the worker', () => worker.close(true)],
            ['end the pause', () => pause.stop()],
            // Unreachable, its entry ages out of the registry (WORKER_GONE_MS).
            ['leave the registry', () => withdrawWorker(redis, name)],
            ['remove the heartbeat', () => removeBeacon(options.dir, process.pid)],
            ['disconnect', () => redis.quit()],
          ],
          deadline,
          log,
        );
        // Commands still waiting for Redis fail, and the connection stops retrying.
        if (!inTime) redis.disconnect();
        log.info({ name }, 'worker stopped');
      })();
      return stopping;
    },
  };
}
