import { mkdir } from 'node:fs/promises';
import { Worker, WaitingError } from 'bullmq';
import PQueue from 'p-queue';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { thisHost } from '../runs/index.js';
import { DispatchPause } from '../daemon/dispatch-pause.js';
import { messageOf } from '../daemon/task-run.js';
import { QUEUE_NAME, workerName } from './job.js';
import type { FleetJobData, FleetProgress, FleetResult } from './job.js';
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

/** Starts a worker: takes jobs from the queue, runs each as the daemon would, reports back. */
export async function startFleetWorker(options: FleetWorkerOptions): Promise<FleetWorker> {
  const { config, log } = options;
  await mkdir(options.dir, { recursive: true });
  const host = thisHost();
  const name = workerName(host, process.pid);
  // A worker waits out any outage (its connections reconnect by themselves), logging it once.
  const outage = new QueueOutage(options.queue, log, null);
  const redis = connectRedis(options.queue, outage, 'worker');
  const running = new Map<string, WorkerInfo['running'][number]>();
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

  async function processJob(
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
      });
      if (end.kind === 'released') {
        // Stopping: the job goes back to the front of the queue for another worker, at once and
        // without counting as a failure or a stall.
        await job.moveToWait(token);
        log.info({ id: claim.id, attempt }, 'job handed back');
        throw new WaitingError();
      }
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
  log.info({ name, concurrency: config.concurrency, dir: options.dir }, 'worker waiting for jobs');

  let stopping: Promise<void> | null = null;
  return {
    name,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        worker.cancelAllJobs('worker stopping');
        const steps: [string, () => Promise<unknown>][] = [
          ['close the worker', () => worker.close()],
          ['end the pause', () => pause.stop()],
          ['leave the registry', () => withdrawWorker(redis, name)],
          ['remove the heartbeat', () => removeBeacon(options.dir, process.pid)],
          ['disconnect', () => redis.quit()],
        ];
        for (const [what, step] of steps) {
          try {
            await step();
          } catch (error) {
            log.error({ err: messageOf(error) }, `could not ${what} while stopping`);
          }
        }
        log.info({ name }, 'worker stopped');
      })();
      return stopping;
    },
  };
}
