import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';
import { withoutPassword } from '../config/redis-url.js';

// Errors of a connection that cannot reach the server: an outage, not a fault of the job.
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * The one owner of "is the queue reachable" in a process. Every Redis connection of the process
 * reports to it; an outage starts when the first one fails and ends when all are ready again. It
 * is logged once when it starts and once when it ends, never once per retry. With a grace, an
 * outage that lasts longer calls the listeners of `onGraceOver` once.
 */
export class QueueOutage {
  readonly #down = new Set<string>();
  readonly #listeners = new Set<(reason: string) => void>();
  #since: number | null = null;
  #timer: NodeJS.Timeout | undefined;
  readonly #url: string;

  constructor(
    url: string,
    private readonly log: Logger,
    /** How long an outage may last before `onGraceOver` fires; null: never. */
    private readonly graceMs: number | null,
  ) {
    this.#url = withoutPassword(url);
  }

  /** Whether the queue is unreachable now. */
  get down(): boolean {
    return this.#since !== null;
  }

  /** Follows connection `redis` (its errors and its return) under the name `role`. */
  follow(redis: Redis, role: string): void {
    redis.on('error', (error: Error) => {
      this.#lost(role, error.message);
    });
    redis.on('ready', () => {
      this.#back(role);
    });
  }

  /** Calls `listener` when the current or a later outage outlasts the grace; returns its removal. */
  onGraceOver(listener: (reason: string) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * A handler for the `error` events of a BullMQ object: a lost connection belongs to the outage
   * (logged once, by it); any other error is logged as `what`.
   */
  errorHandler(what: string): (error: Error) => void {
    return (error: Error) => {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (this.down || CONNECTION_ERRORS.has(code)) return;
      this.log.warn({ err: error.message }, what);
    };
  }

  /** Stops the grace timer (the process is stopping). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #lost(role: string, error: string): void {
    this.#down.add(role);
    if (this.#since !== null) return;
    this.#since = Date.now();
    const grace =
      this.graceMs === null ? '' : ` (tasks fail after ${formatDuration(this.graceMs)})`;
    this.log.warn(
      { err: error, role },
      `queue ${this.#url} unreachable; retrying, running tasks keep their claims${grace}`,
    );
    if (this.graceMs === null) return;
    this.#timer = setTimeout(() => {
      const reason = `queue ${this.#url} unreachable for more than ${formatDuration(this.graceMs ?? 0)} (queueOutageGrace)`;
      for (const listener of [...this.#listeners]) listener(reason);
    }, this.graceMs);
    this.#timer.unref();
  }

  #back(role: string): void {
    this.#down.delete(role);
    if (this.#since === null || this.#down.size > 0) return;
    const lasted = Date.now() - this.#since;
    this.#since = null;
    clearTimeout(this.#timer);
    const seconds = Math.max(1, Math.round(lasted / 1000)) * 1000;
    this.log.info({ downMs: lasted }, `queue reachable again after ${formatDuration(seconds)}`);
  }
}
