import { sanitizeReason } from '../tasks/index.js';
import type { RunRecord } from '../runs/index.js';
import type { TaskOutcome } from './task-run.js';

/** How one outcome shows in the run record and the log (tasks.md follows the record). */
export interface OutcomeEffect {
  status: RunRecord['status'];
  commit: string | null;
  error: string | null;
  level: 'info' | 'warn';
  message: string;
}

/** Maps a task's outcome to its record fields and its log line. */
export function outcomeEffect(outcome: TaskOutcome): OutcomeEffect {
  switch (outcome.kind) {
    case 'done':
      return {
        status: outcome.mergeWaiting === null ? 'done' : 'merge-waiting',
        commit: outcome.commit,
        error: null,
        level: 'info',
        message: 'task done',
      };
    case 'failed': {
      const reason = sanitizeReason(outcome.reason);
      return {
        status: 'failed',
        commit: outcome.commit,
        error: reason,
        level: 'warn',
        message: `task failed: ${reason}`,
      };
    }
    case 'cancelled': {
      const reason = sanitizeReason(outcome.reason);
      return {
        status: 'cancelled',
        commit: null,
        error: 'cancelled',
        level: 'warn',
        message: `task cancelled (${reason}); nothing merged, its branch is kept`,
      };
    }
    case 'released':
      return {
        status: 'released',
        commit: null,
        error: null,
        level: 'info',
        message: `task released (${outcome.reason ?? 'daemon stopping'}); put back to []`,
      };
  }
}
