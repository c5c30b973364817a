import type { Logger } from 'pino';
import type { Claim } from './claims.js';
import { writeRunRecord } from './run-record.js';
import type { RunRecord } from './run-record.js';

/** A claimed task and its run record, which it saves in order (an older copy never lands last). */
export class RunningTask {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly claim: Claim,
    readonly record: RunRecord,
    private readonly adwDir: string,
    private readonly log: Logger,
  ) {}

  /** The task ID. */
  get id(): string {
    return this.claim.id;
  }

  /** Writes the run record with a fresh heartbeat, after any write still under way. */
  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      this.record.heartbeat = new Date().toISOString();
      try {
        await writeRunRecord(this.adwDir, this.record);
      } catch (error) {
        this.log.error({ id: this.id, err: error }, 'could not write the run record');
      }
    });
    return this.saving;
  }
}
