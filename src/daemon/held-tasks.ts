import type { RunRecord } from '../runs/index.js';
import type { HeldPhase, RunningTask } from './running-task.js';

/**
 * The one registry of the tasks this daemon holds, from claim until their outcome is in tasks.md.
 * Counts, free slots, the `--once` end and the run records it reconciles with are derived from
 * it, never kept beside it.
 */
export class HeldTasks {
  private readonly tasks = new Map<string, RunningTask>();

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
    this.tasks.delete(id);
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
