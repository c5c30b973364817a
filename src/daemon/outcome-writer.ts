import type { Logger } from 'pino';
import { isAdwError } from '../errors.js';
import { updateTasksFile } from '../store/index.js';
import type { ParseOptions } from '../tasks/index.js';
import { restoreMarkers } from './claims.js';
import type { OutcomeEffect } from './outcome-edit.js';
import type { RunningTask } from './running-task.js';

/**
 * The tasks this daemon holds, and the outcomes it still has to write into tasks.md. A task stays
 * held until its outcome is in the file: until then, a stale copy showing it pending must get its
 * marker back rather than be claimed and run again.
 */
export class OutcomeWriter {
  /** Claimed and not yet written back: the daemon's promise never to run these twice. */
  readonly held = new Map<string, RunningTask>();
  /** Outcomes not yet in tasks.md (a read-only file, a lock held): retried at every scan. */
  readonly pending = new Map<string, OutcomeEffect>();

  constructor(
    private readonly tasksPath: string,
    private readonly parseOptions: ParseOptions,
    private readonly log: Logger,
  ) {}

  /** Queues one outcome to be written. */
  add(id: string, effect: OutcomeEffect): void {
    this.pending.set(id, effect);
  }

  /**
   * Writes every pending outcome in one locked read-modify-write. Returns the hash of the file
   * written, or an error message when it could not be written (the outcomes stay pending).
   */
  async flush(): Promise<{ hash: string } | { problem: string } | null> {
    if (this.pending.size === 0) return null;
    const batch = [...this.pending];
    try {
      const result = await updateTasksFile(this.tasksPath, (text) => {
        // An editor may have saved a copy showing these tasks pending: their markers go back
        // first, or the outcome would find no line in progress and the task would run again.
        const owned = batch.flatMap(([id]) => this.held.get(id)?.claim ?? []);
        text = restoreMarkers(text, this.parseOptions, owned).text;
        for (const [id, { status, edit }] of batch) {
          const edited = edit(text);
          if (edited.ok) text = edited.text;
          else
            this.log.warn(
              { id, outcome: status, reason: edited.reason },
              `could not write the outcome into tasks.md: ${edited.message}`,
            );
        }
        return text;
      });
      for (const [id] of batch) {
        this.pending.delete(id);
        this.held.delete(id);
      }
      return { hash: result.snapshot.hash };
    } catch (error) {
      if (!isAdwError(error)) throw error;
      return {
        problem: `could not write outcomes of ${batch.map(([id]) => id).join(', ')} into tasks.md: ${error.message}; retrying`,
      };
    }
  }
}
