import type { Task } from './types.js';

/**
 * The tasks carrying each name, as indices in line order. One number per name, and a list only
 * for a name on several lines (a `duplicate-name`): 10,000 named tasks allocate no list each.
 */
export class NameIndex {
  readonly #first = new Map<string, number>();
  readonly #shared = new Map<string, number[]>();

  /** The index of the names of `tasks` (in line order). */
  static of(tasks: readonly Task[]): NameIndex {
    const index = new NameIndex();
    for (let at = 0; at < tasks.length; at += 1) {
      const name = tasks[at]?.name ?? null;
      if (name !== null) index.#add(name, at);
    }
    return index;
  }

  #add(name: string, at: number): void {
    const first = this.#first.get(name);
    if (first === undefined) {
      this.#first.set(name, at);
      return;
    }
    const shared = this.#shared.get(name);
    if (shared === undefined) this.#shared.set(name, [first, at]);
    else shared.push(at);
  }

  /** The first task carrying `name`, or -1. */
  first(name: string): number {
    return this.#first.get(name) ?? -1;
  }

  /** True when `name` is carried by several tasks. */
  isShared(name: string): boolean {
    // Most files have no name twice: no lookup then (a map of 10,000 names is slow to search).
    return this.#shared.size > 0 && this.#shared.has(name);
  }

  /** The last task carrying `name`, or -1. */
  last(name: string): number {
    // As in isShared: one lookup, not two, when no name is carried twice.
    if (this.#shared.size === 0) return this.first(name);
    const shared = this.#shared.get(name);
    return shared === undefined ? this.first(name) : (shared[shared.length - 1] ?? -1);
  }

  /**
   * Every task carrying `name`, in line order: the one index of a name on one line (or -1 for
   * none) as a number, a list only for a name on several lines. No callback, no list per call:
   * this runs for every `after:` name of every task.
   */
  carriers(name: string): number | readonly number[] {
    if (this.#shared.size === 0) return this.first(name);
    return this.#shared.get(name) ?? this.first(name);
  }
}

/** An index of no names, for tasks resolved without their file. */
export const NO_NAME_INDEX = new NameIndex();
