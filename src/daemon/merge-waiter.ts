import type { Logger } from 'pino';
import type { GitRepo } from '../git/index.js';
import { listRunRecords, readRunRecord, writeRunRecord } from '../runs/index.js';

/**
 * Done tasks whose section branch was checked out in some worktree when they finished: the daemon
 * never moves a branch under a person's working tree, so the merge waits and is retried.
 */
export class MergeWaiter {
  private readonly waiting = new Map<string, { section: string; branch: string }>();

  constructor(
    private readonly repo: GitRepo,
    private readonly adwDir: string,
    private readonly log: Logger,
    /** A waiting merge went into its section branch (so the section can land). */
    private readonly onMerged: (section: string) => void = () => undefined,
  ) {}

  /** Picks up merges that were still waiting when a daemon stopped (from their run records). */
  async load(): Promise<void> {
    for (const record of await listRunRecords(this.adwDir)) {
      if (record.status === 'merge-waiting') this.add(record.id, record.section, record.branch);
    }
  }

  /** Remembers a merge to retry. */
  add(id: string, section: string, branch: string): void {
    this.waiting.set(id, { section, branch });
  }

  /** How many merges wait. */
  get size(): number {
    return this.waiting.size;
  }

  /** Retries every waiting merge; those whose branch is still checked out keep waiting. */
  async retry(): Promise<void> {
    for (const [id, { section, branch }] of this.waiting) {
      const merge = await this.repo.mergeIntoSection(section, branch);
      if (merge.kind === 'checked-out') continue;
      this.waiting.delete(id);
      const record = await readRunRecord(this.adwDir, id);
      if (record !== null) await writeRunRecord(this.adwDir, { ...record, status: 'done' });
      if (merge.kind === 'conflict') {
        this.log.warn(
          { id, section, paths: merge.paths },
          'waiting merge conflicts; task branch kept',
        );
      } else {
        this.log.info({ id, section, tip: merge.tip }, 'waiting merge done');
        this.onMerged(section);
      }
    }
  }
}
