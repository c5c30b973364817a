import type { NameIndex } from './name-index.js';
import type { Task } from './types.js';

/**
 * What waits on what, as a graph in compressed rows. Node `i` (below `tasks.length`) is task `i`;
 * node `tasks.length + i` stands for "task `i` and every task above it in its section are done",
 * so a `[⏰]` task waits on one node instead of on every task above it, and the graph stays
 * linear in the file. Only tasks still to start (pending, blocked) wait on anything.
 */
export interface WaitGraph {
  tasks: number;
  /** Edges of node `v`: `targets[offsets[v]]` up to `targets[offsets[v + 1]]`. */
  offsets: Int32Array;
  targets: Int32Array;
}

/** Builds the wait graph of `tasks` (in line order); unknown names add no edge. */
export function buildWaitGraph(tasks: readonly Task[], names: NameIndex): WaitGraph {
  const count = tasks.length;
  const previous = new Int32Array(count);
  const last = new Map<string, number>();
  const offsets = new Int32Array(2 * count + 1);
  const targets = new EdgeList(4 * count);
  for (let index = 0; index < count; index += 1) {
    const task = tasks[index];
    if (task === undefined) continue;
    const above = last.get(task.section) ?? -1;
    previous[index] = above;
    last.set(task.section, index);
    offsets[index] = targets.length;
    if (task.status !== 'pending' && task.status !== 'blocked') continue;
    if (task.status === 'blocked' && above !== -1) targets.push(count + above);
    // Every carrier of every name.
    const { after } = task;
    for (let at = 0; at < after.length; at += 1) {
      const carriers = names.carriers(after[at] ?? '');
      if (typeof carriers !== 'number') for (const carrier of carriers) targets.push(carrier);
      else if (carriers !== -1) targets.push(carriers);
    }
  }
  for (let index = 0; index < count; index += 1) {
    offsets[count + index] = targets.length;
    targets.push(index);
    const above = previous[index] ?? -1;
    if (above !== -1) targets.push(count + above);
  }
  offsets[2 * count] = targets.length;
  return { tasks: count, offsets, targets: targets.done() };
}

// Edge targets in one typed array, doubled when full: no boxed list of 40,000 numbers.
class EdgeList {
  #items: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.#items = new Int32Array(Math.max(16, capacity));
  }

  push(target: number): void {
    if (this.length === this.#items.length) {
      const grown = new Int32Array(2 * this.length);
      grown.set(this.#items);
      this.#items = grown;
    }
    this.#items[this.length] = target;
    this.length += 1;
  }

  done(): Int32Array {
    return this.#items.subarray(0, this.length);
  }
}

/**
 * The wave in which each task would be done if every run succeeded (SPEC §2.4 applied wave after
 * wave): 0 for a done task, 1 for what starts now, n + 1 for what the n-th wave unblocks, and
 * Infinity for a task that will not be done (an error, in progress, failed, or waiting on one).
 * One iterative depth-first pass: linear, and no recursion to overflow on a long chain.
 */
export function taskWaves(tasks: readonly Task[], graph: WaitGraph): Float64Array {
  const { offsets, targets } = graph;
  const size = 2 * graph.tasks;
  const value = new Float64Array(size).fill(-1);
  const state = new Uint8Array(size); // 0 new, 1 on the stack, 2 done
  const cursor = offsets.slice(0, size); // the next edge to look at, per node
  const stack: number[] = [];
  const start = (node: number): boolean => {
    const task = node < graph.tasks ? tasks[node] : undefined;
    if (task !== undefined && task.status === 'done') value[node] = 0;
    else if (task !== undefined && (task.hasError || !waiting(task))) value[node] = Infinity;
    else return true;
    state[node] = 2;
    return false;
  };
  for (let root = 0; root < size; root += 1) {
    if (state[root] !== 0 || !start(root)) continue;
    state[root] = 1;
    stack.push(root);
    while (stack.length > 0) {
      const node = stack[stack.length - 1] ?? 0;
      let pushed = false;
      const end = offsets[node + 1] ?? 0;
      while (!pushed && (cursor[node] ?? end) < end) {
        const target = targets[cursor[node] ?? 0] ?? 0;
        cursor[node] = (cursor[node] ?? 0) + 1;
        if (state[target] === 0 && start(target)) {
          state[target] = 1;
          stack.push(target);
          pushed = true;
        }
      }
      if (pushed) continue;
      let most = 0;
      for (let edge = offsets[node] ?? 0; edge < (offsets[node + 1] ?? 0); edge += 1) {
        const target = targets[edge] ?? 0;
        // A target still on the stack closes a cycle: nothing in it will be done.
        const wave = state[target] === 1 ? Infinity : (value[target] ?? 0);
        if (wave > most) most = wave;
      }
      value[node] = node < graph.tasks ? most + 1 : most;
      state[node] = 2;
      stack.pop();
    }
  }
  return value.subarray(0, graph.tasks);
}

function waiting(task: Task): boolean {
  return task.status === 'pending' || task.status === 'blocked';
}
