/** Why we stopped an agent: its step's wall-clock limit, its silence, or an abort (shutdown). */
export type StoppedBy = 'stepTimeout' | 'idleTimeout' | 'abort';

/** setTimeout fires at once for delays above 2^31-1 ms: longer limits are clamped (~24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The limits one agent run is watched under. */
export interface LimitOptions {
  stepTimeoutMs: number;
  idleTimeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The timers of one run: `touch` on output, `dispose` once it exited. */
export interface Limits {
  /** Output arrived: the idle timer starts again (not after `dispose`). */
  touch(): void;
  /** The first limit that stopped the run, or null. */
  stoppedBy(): StoppedBy | null;
  /** Clears every timer for good; later output re-arms nothing. */
  dispose(): void;
}

/**
 * Watches a run's limits and calls `stop` once, with the first that is reached. After `dispose`
 * no timer is left, so nothing keeps the process alive or signals a group whose id was reused.
 */
export function watchLimits(options: LimitOptions, stop: () => void): Limits {
  let reason: StoppedBy | null = null;
  let disposed = false;
  const hit = (why: StoppedBy): void => {
    if (disposed || reason !== null) return;
    reason = why;
    stop();
  };
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => {
        hit('idleTimeout');
      },
      Math.min(options.idleTimeoutMs, MAX_TIMER_MS),
    );
  };
  const stepTimer = setTimeout(
    () => {
      hit('stepTimeout');
    },
    Math.min(options.stepTimeoutMs, MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    hit('abort');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  armIdle();
  return {
    touch() {
      if (!disposed) armIdle();
    },
    stoppedBy: () => reason,
    dispose() {
      disposed = true;
      clearTimeout(stepTimer);
      clearTimeout(idleTimer);
      options.signal?.removeEventListener('abort', onAbort);
    },
  };
}
