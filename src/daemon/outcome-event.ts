import type { DaemonEvent } from './events.js';
import type { RunningTask } from './running-task.js';
import type { TaskOutcome } from './task-run.js';

/** The event announcing how a held task ended (its record already holds the outcome). */
export function outcomeEvent({ claim, record }: RunningTask, outcome: TaskOutcome): DaemonEvent {
  const { id, task } = claim;
  const { description, section } = task;
  const { costUsd, durationMs } = record;
  if (outcome.kind === 'released') return { type: 'task.released', id, section };
  if (outcome.kind === 'done') {
    return {
      type: 'task.done',
      id,
      section,
      description,
      commit: record.commit,
      costUsd,
      durationMs,
    };
  }
  return {
    type: 'task.failed',
    id,
    section,
    description,
    error: record.error,
    costUsd,
    durationMs,
  };
}
