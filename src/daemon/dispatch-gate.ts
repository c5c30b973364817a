import { daySpend, listRunRecords } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import type { DispatchPause } from './dispatch-pause.js';
import type { TaskOutcome } from './task-run.js';

/**
 * Before a claimed task starts: a rate-limit pause is waited out (it ends by itself soon); under
 * a pause that lasts (a permanent error, the day's budget) the task goes back to `[]` instead.
 */
export async function gateBeforeStart(
  pause: DispatchPause,
  signal: AbortSignal,
): Promise<TaskOutcome | null> {
  await pause.ready(signal);
  const state = pause.current();
  if (state === null || state.kind === 'rate-limit') return null;
  return { kind: 'released', reason: `dispatch paused: ${state.reason}` };
}

/**
 * What a task's outcome means for the pause: the same permanent error as the task before pauses
 * dispatch, and that task goes back to `[]` instead of failing; a success clears the memory.
 */
export function settleOutcome(pause: DispatchPause, outcome: TaskOutcome): TaskOutcome {
  if (outcome.kind === 'done') pause.taskDone();
  if (outcome.kind !== 'failed' || outcome.workflow?.failure?.class !== 'permanent') return outcome;
  if (pause.permanent(outcome.reason) === 'failed') return outcome;
  return { kind: 'released', reason: `dispatch paused: ${outcome.reason}` };
}

/** Pauses dispatch when the day's recorded cost (run records on disk and held) reaches `maxUsd`. */
export async function checkDayBudget(
  pause: DispatchPause,
  adwDir: string,
  held: readonly RunRecord[],
  maxUsd: number | undefined,
  now: number,
): Promise<void> {
  if (maxUsd === undefined) return;
  const spent = daySpend([...(await listRunRecords(adwDir)), ...held], now);
  if (spent >= maxUsd) pause.budget(spent, maxUsd);
}
