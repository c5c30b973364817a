import type { Logger } from 'pino';
import { messageOf } from '../daemon/task-run.js';

/**
 * Waits for `work` at most `ms`: true when it settled in time, false when it is still pending (it
 * goes on unawaited; its rejection is then ignored). A rejection in time is rethrown.
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

// Even past the deadline a step gets this long: local cleanups (a file removed) still happen.
const STEP_MIN_MS = 250;

/** One cleanup of a stopping fleet process: what it does (for the log), and the work. */
export type StopStep = readonly [what: string, step: () => Promise<unknown>];

/**
 * Runs the cleanups of a stopping worker or coordinator in order, each in its own try/catch so
 * one failure skips none, and none waited for past `deadline` (ms since the epoch): with Redis
 * unreachable a command waits for the server forever (`maxRetriesPerRequest: null`), and a
 * stopping process must end anyway. A late step is logged once and left behind. Returns whether
 * every step finished in time.
 */
export async function runStopSteps(
  steps: readonly StopStep[],
  deadline: number,
  log: Logger,
): Promise<boolean> {
  let allInTime = true;
  for (const [what, step] of steps) {
    try {
      if (await settledWithin(step(), Math.max(STEP_MIN_MS, deadline - Date.now()))) continue;
      allInTime = false;
      log.warn(`gave up waiting to ${what} while stopping (queue unreachable)`);
    } catch (error) {
      log.error({ err: messageOf(error) }, `could not ${what} while stopping`);
    }
  }
  return allInTime;
}
