import { Job, QueueEvents } from 'bullmq';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { messageOf } from '../daemon/task-run.js';
import { QUEUE_NAME } from './job.js';
import type { FleetJobData, FleetProgress, FleetResult } from './job.js';

/** How a job ended, as the queue reports it. */
export type JobEnd =
  | { kind: 'completed'; result: FleetResult }
  | { kind: 'failed'; reason: string }
  | { kind: 'missing' };

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

  constructor(
    private readonly queue: Queue<FleetJobData, FleetResult>,
    connection: Redis,
    private readonly log: Logger,
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
    this.#events.on('error', (error) => {
      log.debug({ err: messageOf(error) }, 'queue events error');
    });
    this.#timer = setInterval(() => {
      for (const id of this.#waiters.keys()) void this.#poll(id);
    }, POLL_MS);
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

  /** Stops listening. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
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
