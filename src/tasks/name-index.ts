import type { Task } from './types.js';

/**
 * The tasks carrying each name, as indices in line order. The first carrier of each name sits in
 * a hash table sized once from the number of tasks (open addressing over an Int32Array), not in a
 * Map: a Map of 10,000 names is grown and rehashed as it fills, which took about a tenth of a
 * 10,000-task parse. A list is kept only for a name on several lines (a `duplicate-name`).
 */
export class NameIndex {
  /** The tasks indexed: the slots point into it, as every index given out does. */
  readonly #tasks: readonly Task[];
  /** Each slot 0 (empty) or a task index + 1; at least twice as many slots as named tasks. */
  readonly #slots: Int32Array;
  readonly #shared = new Map<string, number[]>();

  private constructor(tasks: readonly Task[], named: number) {
    this.#tasks = tasks;
    let size = 1;
    while (size < named * 2) size *= 2;
    this.#slots = new Int32Array(size);
  }

  /** The index of the names of `tasks` (in line order). */
  static of(tasks: readonly Task[]): NameIndex {
    // Sized from the named tasks only: a file without names gets a table of one slot.
    let named = 0;
    for (let at = 0; at < tasks.length; at += 1) if ((tasks[at]?.name ?? null) !== null) named += 1;
    const index = new NameIndex(tasks, named);
    for (let at = 0; at < tasks.length; at += 1) {
      const name = tasks[at]?.name ?? null;
      if (name !== null) index.#add(name, at);
    }
    return index;
  }

  /** An index of no names. */
  static empty(): NameIndex {
    return new NameIndex([], 0);
  }

  #add(name: string, at: number): void {
    const slot = this.#slotOf(name);
    const first = (this.#slots[slot] ?? 0) - 1;
    if (first === -1) {
      this.#slots[slot] = at + 1;
      return;
    }
    const shared = this.#shared.get(name);
    if (shared === undefined) this.#shared.set(name, [first, at]);
    else shared.push(at);
  }

  // The slot holding `name`, or the empty slot where it would go (linear probing).
  #slotOf(name: string): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = hash(name) & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot] ?? 0;
      if (held === 0 || this.#tasks[held - 1]?.name === name) return slot;
    }
  }

  /** The first task carrying `name`, or -1. */
  first(name: string): number {
    return (this.#slots[this.#slotOf(name)] ?? 0) - 1;
  }

  /** True when `name` is carried by several tasks. */
  isShared(name: string): boolean {
    // Most files have no name twice: no lookup then.
    return this.#shared.size > 0 && this.#shared.has(name);
  }

  /** The last task carrying `name`, or -1. */
  last(name: string): number {
    // As in isShared: no second lookup when no name is carried twice.
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

// FNV-1a over the UTF-16 units of `name`: names are short, and this is cheaper than a Map's
// upkeep.
function hash(name: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < name.length; index += 1) {
    value = Math.imul(value ^ name.charCodeAt(index), 0x01000193);
  }
  return value >>> 0;
}

/** An index of no names, for tasks resolved without their file. */
export const NO_NAME_INDEX = NameIndex.empty();
