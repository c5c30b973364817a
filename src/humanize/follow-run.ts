import { join } from 'node:path';
import { liveness, observerHere, readRunRecord, runDir, runOwnerOf } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import { listStepLogs, LogReader } from './step-logs.js';

/** What to follow: a run's folder, and one step of it or whichever step is current. */
export interface FollowOptions {
  adwDir: string;
  id: string;
  /** Only this step; otherwise every step, switching as the run moves on. */
  step?: string;
  /** Stops following (the promise then resolves). */
  signal?: AbortSignal;
  pollMs?: number;
  /** Humanized lines as they are written; `step` tells which log they come from. */
  onLines: (step: string, lines: string[]) => void;
}

/** Why following ended. */
export type FollowEnd = 'finished' | 'stale' | 'aborted' | 'step-ended';

/** True while a run record says its task is being worked on by a live daemon. */
export function isRunLive(record: RunRecord | null, now = Date.now()): boolean {
  if (record === null) return false;
  if (record.status !== 'starting' && record.status !== 'running') return false;
  return liveness(runOwnerOf(record), observerHere(now)) === 'live';
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follows a run's step logs, humanized, from their first byte until the run ends (its record says
 * so, or its daemon stopped beating), or only until the given step ends. Steps already written
 * are read first, in the order they started.
 */
export async function followRun(options: FollowOptions): Promise<FollowEnd> {
  const dir = runDir(options.adwDir, options.id);
  const pollMs = options.pollMs ?? 200;
  const readers = new Map<string, LogReader>();
  const reader = (step: string): LogReader => {
    let found = readers.get(step);
    if (found === undefined) {
      found = new LogReader(join(dir, `${step}.log`));
      readers.set(step, found);
    }
    return found;
  };
  const emit = (step: string, lines: string[]): void => {
    if (lines.length > 0) options.onLines(step, lines);
  };
  for (;;) {
    // The record first, then the logs: a run seen ended has written everything it will.
    const record = await readRunRecord(options.adwDir, options.id);
    const live = isRunLive(record);
    const logs = await listStepLogs(dir);
    const steps = options.step === undefined ? logs.map((log) => log.step) : [options.step];
    const stepEnded =
      options.step !== undefined &&
      logs.some((log) => log.step === options.step) &&
      record?.step !== options.step;
    const ending = !live || stepEnded || options.signal?.aborted === true;
    for (const step of steps) {
      const log = reader(step);
      emit(step, ending ? await log.finish() : await log.read());
    }
    if (options.signal?.aborted === true) return 'aborted';
    if (stepEnded) return 'step-ended';
    if (!live) {
      const stale =
        record !== null && (record.status === 'starting' || record.status === 'running');
      return stale ? 'stale' : 'finished';
    }
    await sleep(pollMs, options.signal);
  }
}
