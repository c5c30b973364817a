import type { Logger } from 'pino';
import type { Claim } from './claims.js';
import type { OutcomeEffect } from './outcome-edit.js';
import { processStartTime } from '../system/processes.js';
import { writeRunRecord } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import type { TaskOutcome } from './task-run.js';
import type { FailedAttempt } from '../workflows/types.js';

/** Where a held task is: its run is claimed or running, or its outcome waits to be written. */
export type HeldPhase = 'claimed' | 'running' | 'outcome-pending';

/**
 * A claimed task and its run record, which it saves in order (an older copy never lands last).
 * It is held from its claim until its outcome is in tasks.md.
 */
export class RunningTask {
  private saving: Promise<void> = Promise.resolve();
  /** Stops this task's run alone (a cancel); shutdown stops every run through the daemon's. */
  readonly cancel = new AbortController();
  #handedOver = false;
  #ended: TaskOutcome['kind'] | null = null;

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

  /**
   * The phase, read from the record: the record is the one owner of where the run stands. A run
   * handed over has nothing left to write (its 🟡 is in the file): the next scan lets it go.
   */
  get phase(): HeldPhase {
    if (this.#handedOver) return 'outcome-pending';
    if (this.record.status === 'claimed' || this.record.status === 'starting') return 'claimed';
    return this.record.status === 'running' ? 'running' : 'outcome-pending';
  }

  /**
   * The run goes on beyond this daemon (a fleet job it could not withdraw while stopping): its
   * record stays as it is, active, for the next start to find, and this daemon lets it go.
   */
  handOver(): void {
    this.#handedOver = true;
  }

  /** How the run ended (null until `finished`): the registry counts outcomes from it. */
  get ended(): TaskOutcome['kind'] | null {
    return this.#ended;
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

  /** The run starts: status, start time. */
  async started(): Promise<void> {
    this.record.status = 'running';
    this.record.startedAt = new Date().toISOString();
    await this.save();
  }

  /** A step starts. */
  step(step: string): void {
    this.record.step = step;
    void this.save();
  }

  /** An agent process started (or ended: null); its start time lets recovery recognise it. */
  spawned(pid: number | null): void {
    this.record.agentPid = pid;
    void (async () => {
      this.record.agentStartTime = pid === null ? null : await processStartTime(pid);
      await this.save();
    })();
  }

  /** An agent attempt failed: kept in the record's attempt history. */
  attemptFailed(attempt: FailedAttempt): void {
    (this.record.attempts ??= []).push(attempt);
    void this.save();
  }

  /** The run ended: outcome, cost and timings go into the record. */
  async finished(outcome: TaskOutcome, effect: OutcomeEffect): Promise<void> {
    const { record } = this;
    this.#ended = outcome.kind;
    if ((outcome.kind === 'done' || outcome.kind === 'failed') && outcome.workflow !== null) {
      record.costUsd = outcome.workflow.costUsd;
      record.numTurns = outcome.workflow.numTurns;
      record.usage = outcome.workflow.usage;
      record.sessionId = outcome.workflow.sessionId;
    }
    if ('resolve' in outcome) record.resolve = outcome.resolve;
    if (record.status === 'running') {
      record.durationMs = Date.now() - Date.parse(record.startedAt);
      record.finishedAt = new Date().toISOString();
    }
    record.status = effect.status;
    record.commit = effect.commit;
    record.error = effect.error;
    await this.save();
  }
}
