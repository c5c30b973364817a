import { completeTask, failTask, resetTask, sanitizeReason } from '../tasks/index.js';
import type { EditResult } from '../tasks/index.js';
import type { RunRecord } from './run-record.js';
import type { TaskOutcome } from './task-run.js';

/** How one outcome shows in the run record, the log and tasks.md. */
export interface OutcomeEffect {
  status: RunRecord['status'];
  commit: string | null;
  error: string | null;
  level: 'info' | 'warn';
  message: string;
  /** The splice that writes the outcome into the task's line. */
  edit: (text: string) => EditResult;
}

/** Maps a task's outcome to its record fields, its log line and its edit of tasks.md. */
export function outcomeEffect(id: string, outcome: TaskOutcome): OutcomeEffect {
  switch (outcome.kind) {
    case 'done':
      return {
        status: outcome.mergeWaiting === null ? 'done' : 'merge-waiting',
        commit: outcome.commit,
        error: null,
        level: 'info',
        message: 'task done',
        edit: (text) => completeTask(text, id, outcome.commit),
      };
    case 'failed': {
      const reason = sanitizeReason(outcome.reason);
      return {
        status: 'failed',
        commit: outcome.commit,
        error: reason,
        level: 'warn',
        message: `task failed: ${reason}`,
        edit: (text) => failTask(text, id, reason),
      };
    }
    case 'released':
      return {
        status: 'released',
        commit: null,
        error: null,
        level: 'info',
        message: 'task released (daemon stopping); put back to []',
        edit: (text) => resetTask(text, id),
      };
  }
}
