import type { RunRecord } from '../runs/index.js';
import type { HeldPhase, RunningTask } from './running-task.js';
import type { TaskOutcome } from './task-run.js';

/** How many runs ended each way, since the daemon started. */
export type OutcomeCounts = Record<TaskOutcome['kind'], number>;

/**
 * The one registry of the tasks this daemon holds, from claim until their outcome is in tasks.md.
 * Counts, free slots, the `--once` end, the summary and the run records it reconciles with are
 * derived from it, never kept beside it.
 */
export class HeldTasks {
  private readonly tasks = new Map<string, RunningTask>();
  /** The outcomes of the tasks let go: what `outcomes` adds to those still held. */
  readonly #letGo: OutcomeCounts = { done: 0, failed: 0, cancelled: 0, released: 0 };

  /** Holds a task just claimed. */
  add(task: RunningTask): void {
    this.tasks.set(task.id, task);
  }

  /** The held task with this ID. */
  get(id: string): RunningTask | undefined {
    return this.tasks.get(id);
  }

  /** True when this ID is held. */
  has(id: string): boolean {
    return this.tasks.has(id);
  }

  /** Lets go of a task whose outcome is in the file (or whose line is gone). */
  delete(id: string): void {
    const ended = this.tasks.get(id)?.ended ?? null;
    if (ended !== null) this.#letGo[ended]++;
    this.tasks.delete(id);
  }

  /** How the runs ended so far: those let go and those whose outcome waits to be written. */
  outcomes(): OutcomeCounts {
    const counts = { ...this.#letGo };
    for (const task of this.tasks.values()) {
      if (task.ended !== null) counts[task.ended]++;
    }
    return counts;
  }

  /** Every held task. */
  all(): RunningTask[] {
    return [...this.tasks.values()];
  }

  /** Held tasks in the given phases. */
  inPhase(...phases: HeldPhase[]): RunningTask[] {
    return this.all().filter((task) => phases.includes(task.phase));
  }

  /** How many tasks are held. */
  get size(): number {
    return this.tasks.size;
  }

  /** The run records of held tasks, as this daemon knows them now (fresher than on disk). */
  records(): RunRecord[] {
    return this.all().map((task) => task.record);
  }
}
