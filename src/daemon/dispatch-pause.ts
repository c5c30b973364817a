import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { retryDelay } from '../agents/backoff.js';
import { readJsonDir } from './json-dir.js';

/** Why dispatch is paused: an agent's rate limit, a permanent error seen twice, the day's budget. */
export type PauseKind = 'rate-limit' | 'permanent' | 'budget';

/** A pause of all dispatch, as `status`, the HTTP state and the dashboard show it. */
export interface PauseState {
  kind: PauseKind;
  /** When dispatch resumes by itself (ISO); null: only once resumed (the cause fixed, a restart). */
  until: string | null;
  since: string;
  /** What paused it, one line. */
  reason: string;
  /** How to resume it. */
  hint: string;
}

/** `.adw/pauses/<host>-<pid>.json`: the pause of one daemon, for `status` in another process. */
export interface PauseRecord extends PauseState {
  host: string;
  pid: number;
}

function hhmm(time: number): string {
  const date = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The one line of `status`: `paused: rate limit until 14:05`, `paused: authentication failed…`. */
export function describePause(state: PauseState): string {
  const until = state.until === null ? '' : ` until ${hhmm(Date.parse(state.until))}`;
  switch (state.kind) {
    case 'rate-limit':
      return `paused: rate limit${until}`;
    case 'budget':
      return `paused: ${state.reason}${until}`;
    case 'permanent':
      return `paused: ${state.reason}`;
  }
}

/** The next local midnight after `now`: when a day's budget starts again. */
export function nextMidnight(now: number): number {
  const date = new Date(now);
  date.setHours(24, 0, 0, 0);
  return date.getTime();
}

/** What the pause needs from the daemon. */
export interface DispatchPauseOptions {
  adwDir: string;
  owner: { host: string };
  log: Logger;
  clock?: () => number;
  /** Backoff of a rate limit that names no reset time. */
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
  /** A timed pause ended: claim again. */
  onResume: () => void;
}

/**
 * The one owner of the dispatch pause: the scanner claims nothing and no agent starts while it is
 * on; `status` and the HTTP state read it from its file. A rate limit pauses until the reset time
 * the agent gave (else a backoff); the same permanent error on two tasks in a row and the day's
 * budget pause until resumed or until midnight.
 */
export class DispatchPause {
  private state: PauseState | null = null;
  private timer: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];
  private saving: Promise<void> = Promise.resolve();
  private rateLimitStreak = 0;
  private lastRateLimitEnd = Number.NEGATIVE_INFINITY;
  private lastPermanent: string | null = null;
  private readonly clock: () => number;

  constructor(private readonly options: DispatchPauseOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The pause in force, or null. */
  current(): PauseState | null {
    return this.state;
  }

  /** Resolves once no rate-limit pause is on (at once when `signal` aborts). */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.state?.kind !== 'rate-limit' || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  /** An agent hit a rate limit: pause until `resetAt`, or for a growing backoff when null. */
  rateLimited(resetAt: number | null, message: string): void {
    const now = this.clock();
    if (this.state !== null && this.state.kind !== 'rate-limit') return;
    const current = this.state?.until == null ? null : Date.parse(this.state.until);
    if (resetAt === null && current !== null) return;
    if (now - this.lastRateLimitEnd > this.options.maxRetryBackoffMs) this.rateLimitStreak = 0;
    if (resetAt === null) this.rateLimitStreak += 1;
    const until =
      resetAt ??
      now +
        retryDelay(
          this.rateLimitStreak,
          this.options.retryBackoffMs,
          this.options.maxRetryBackoffMs,
        );
    if (current !== null && current >= until) return;
    const first = this.state === null;
    this.set({
      kind: 'rate-limit',
      until: new Date(until).toISOString(),
      since: this.state?.since ?? new Date(now).toISOString(),
      reason: message,
      hint: 'dispatch resumes by itself; tasks hit by the limit run again then',
    });
    // Said once per pause, not once per task that meets it.
    if (first)
      this.options.log.warn(
        { until: this.state?.until, agent: message },
        describePause(this.state as PauseState),
      );
  }

  /**
   * A task failed with a permanent error. The first time it is that task's failure (`failed`);
   * the same error again on the next task pauses dispatch (`paused`) instead of failing the
   * whole queue one task at a time.
   */
  permanent(reason: string): 'failed' | 'paused' {
    if (this.state?.kind === 'permanent') return 'paused';
    if (this.lastPermanent !== reason) {
      this.lastPermanent = reason;
      return 'failed';
    }
    this.set({
      kind: 'permanent',
      until: null,
      since: new Date(this.clock()).toISOString(),
      reason,
      hint: 'fix the cause (the key or setting it names), then restart the daemon; the tasks it held are back to []',
    });
    this.options.log.error({ hint: this.state?.hint }, describePause(this.state as PauseState));
    return 'paused';
  }

  /** A task finished well: a permanent error later is new again. */
  taskDone(): void {
    this.lastPermanent = null;
  }

  /** The day's recorded cost reached `maxCostPerDay`: pause until midnight. */
  budget(spentUsd: number, maxUsd: number): void {
    if (this.state?.kind === 'budget' || this.state?.kind === 'permanent') return;
    const now = this.clock();
    this.set({
      kind: 'budget',
      until: new Date(nextMidnight(now)).toISOString(),
      since: new Date(now).toISOString(),
      reason: `maxCostPerDay reached ($${spentUsd.toFixed(2)} of $${maxUsd.toFixed(2)} today)`,
      hint: 'dispatch resumes at midnight; or raise maxCostPerDay in adw-trigger.json and restart the daemon',
    });
    this.options.log.warn({ spentUsd, maxUsd }, describePause(this.state as PauseState));
  }

  /** Ends any pause now. */
  resume(): void {
    if (this.state === null) return;
    if (this.state.kind === 'rate-limit') this.lastRateLimitEnd = this.clock();
    this.options.log.info({ kind: this.state.kind }, 'dispatch resumed');
    this.set(null);
    this.options.onResume();
  }

  /** Stops the timer, lets every waiter go and removes the file (the daemon is stopping). */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.state = null;
    this.release();
    this.saving = this.saving.then(() => rm(this.file(), { force: true }));
    await this.saving;
  }

  private set(state: PauseState | null): void {
    clearTimeout(this.timer);
    this.state = state;
    if (state?.until != null) {
      const ms = Math.max(0, Date.parse(state.until) - this.clock());
      this.timer = setTimeout(
        () => {
          this.resume();
        },
        Math.min(ms, 2 ** 31 - 1),
      );
    }
    if (state?.kind !== 'rate-limit') this.release();
    void this.save(state);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private file(): string {
    return join(
      this.options.adwDir,
      'pauses',
      `${this.options.owner.host}-${String(process.pid)}.json`,
    );
  }

  // In order, so an older state never lands last; a failed write is logged, the pause holds.
  private save(state: PauseState | null): Promise<void> {
    const path = this.file();
    this.saving = this.saving.then(async () => {
      try {
        if (state === null) {
          await rm(path, { force: true });
          return;
        }
        const record: PauseRecord = { ...state, host: this.options.owner.host, pid: process.pid };
        await mkdir(join(this.options.adwDir, 'pauses'), { recursive: true });
        await writeFile(`${path}.tmp`, JSON.stringify(record) + '\n');
        await rename(`${path}.tmp`, path);
      } catch (error) {
        this.options.log.error({ err: error }, 'could not write the pause state');
      }
    });
    return this.saving;
  }
}

/** Every pause record under `.adw/pauses` (unreadable ones skipped). */
export async function listPauseRecords(adwDir: string): Promise<PauseRecord[]> {
  return (await readJsonDir(join(adwDir, 'pauses'))) as PauseRecord[];
}
