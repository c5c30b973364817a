/** The wait before the n-th re-run (n ≥ 1): `min(base × 2^(n−1), max)`. */
export function retryDelay(n: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, n - 1), maxMs);
}

/** Resolves after `ms`, or at once when `signal` aborts (then it never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, 2 ** 31 - 1));
    signal?.addEventListener('abort', done, { once: true });
  });
}
