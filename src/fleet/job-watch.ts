import { Job, QueueEvents } from 'bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { messageOf } from '../daemon/task-run.js';
import { QUEUE_NAME } from './job.js';
import type { FleetJobData, FleetProgress, FleetResult } from './job.js';
import type { QueueOutage } from './queue-outage.js';

/** How a job ended, as the queue reports it. */
export type JobEnd =
  | { kind: 'completed'; result: FleetResult }
  | { kind: 'failed'; reason: string }
  | { kind: 'missing' }
  /** The queue stayed unreachable beyond the grace: the coordinator stops waiting. */
  | { kind: 'outage'; reason: string };

interface Waiter {
  onProgress: (progress: FleetProgress) => void;
  resolve: (end: JobEnd) => void;
}

const POLL_MS = 2000;

/**
 * Waits for jobs to end. Events bring ends and progress at once; a poll of each awaited job's state
 * catches what the events missed (Redis restarted, the coordinator was down when it ended).
 */
export class JobWatch {
  readonly #events: QueueEvents;
  readonly #waiters = new Map<string, Waiter>();
  readonly #timer: NodeJS.Timeout;
  readonly #stopGrace: () => void;

  constructor(
    private readonly queue: Queue<FleetJobData, FleetResult>,
    connection: Redis,
    private readonly log: Logger,
    private readonly outage: QueueOutage,
  ) {
    this.#events = new QueueEvents(QUEUE_NAME, { connection });
    this.#events.on('progress', ({ jobId, data }) => {
      this.#waiters.get(jobId)?.onProgress(data as unknown as FleetProgress);
    });
    this.#events.on('completed', ({ jobId, returnvalue }) => {
      this.#end(jobId, { kind: 'completed', result: returnvalue as unknown as FleetResult });
    });
    this.#events.on('failed', ({ jobId, failedReason }) => {
      this.#end(jobId, { kind: 'failed', reason: failedReason });
    });
    this.#events.on('error', outage.errorHandler('queue events error'));
    this.#timer = setInterval(() => {
      // While the queue is down a poll would only wait for it; the return brings a fresh one.
      if (outage.down) return;
      for (const id of this.#waiters.keys()) void this.#poll(id);
    }, POLL_MS);
    // Past the grace every awaited job ends as an outage; a job no worker took yet is withdrawn
    // once the queue is back, so the task marked failed never runs behind its marker.
    this.#stopGrace = outage.onGraceOver((reason) => {
      for (const id of [...this.#waiters.keys()]) {
        this.#end(id, { kind: 'outage', reason });
        void this.withdraw(id);
      }
    });
  }

  /** Ready to hear events: call before adding a job, so none of its events is missed. */
  async ready(): Promise<void> {
    await this.#events.waitUntilReady();
  }

  /** The end of job `id`; `onProgress` hears its progress meanwhile. */
  wait(id: string, onProgress: (progress: FleetProgress) => void): Promise<JobEnd> {
    return new Promise((resolve) => {
      this.#waiters.set(id, { onProgress, resolve });
      void this.#poll(id);
    });
  }

  /** Stops waiting for job `id` (its run was given up). */
  forget(id: string): void {
    this.#waiters.delete(id);
  }

  /**
   * Stops waiting for job `id` and removes the job if no worker took it yet (waits for the queue
   * when it is down). A job a worker runs finishes there; its result is never merged.
   */
  async withdraw(id: string): Promise<void> {
    this.forget(id);
    try {
      const job = await Job.fromId(this.queue, id);
      if (job !== undefined && (await job.isWaiting())) await job.remove();
    } catch (error) {
      this.log.warn({ id, err: messageOf(error) }, 'could not withdraw the job');
    }
  }

  /** Stops listening. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#stopGrace();
    await this.#events.close();
  }

  #end(id: string, end: JobEnd): void {
    const waiter = this.#waiters.get(id);
    if (waiter === undefined) return;
    this.#waiters.delete(id);
    waiter.resolve(end);
  }

  async #poll(id: string): Promise<void> {
    try {
      // The state first, then the job: a job read before it ended has no return value yet.
      const state = await this.queue.getJobState(id);
      if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return;
      const job = await Job.fromId<FleetJobData, FleetResult>(this.queue, id);
      if (job === undefined) this.#end(id, { kind: 'missing' });
      else if (state === 'completed') this.#end(id, { kind: 'completed', result: job.returnvalue });
      else if (state === 'failed') this.#end(id, { kind: 'failed', reason: job.failedReason });
    } catch (error) {
      this.log.debug({ id, err: messageOf(error) }, 'could not read a job state');
    }
  }
}
