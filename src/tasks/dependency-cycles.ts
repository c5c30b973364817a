import type { WaitGraph } from './wait-graph.js';

/** One cycle of the wait graph: a walk around it (nodes, first = last) and every task in it. */
export interface WaitCycle {
  /** Nodes from the cycle's first task back to it; nodes ≥ `graph.tasks` are `[⏰]` steps. */
  walk: number[];
  /** Every task index of the strongly connected part holding the walk, ascending. */
  members: number[];
}

/**
 * The cycles of the wait graph: its strongly connected parts that hold a cycle (Tarjan's
 * algorithm with explicit stacks: linear, and a chain of 10,000 tasks does not overflow the call
 * stack). Each comes with one walk around it from its first task, to name in a message.
 */
export function findCycles(graph: WaitGraph): WaitCycle[] {
  const { offsets, targets } = graph;
  const size = 2 * graph.tasks;
  const order = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const part = new Int32Array(size).fill(-1);
  const cursor = offsets.slice(0, size);
  const open: number[] = [];
  const calls: number[] = [];
  const cycles: WaitCycle[] = [];
  let counter = 0;
  const enter = (node: number): void => {
    order[node] = low[node] = counter++;
    onStack[node] = 1;
    open.push(node);
    calls.push(node);
  };
  for (let root = 0; root < size; root += 1) {
    if ((order[root] ?? 0) !== -1) continue;
    enter(root);
    while (calls.length > 0) {
      const node = calls[calls.length - 1] ?? 0;
      const at = cursor[node] ?? 0;
      if (at < (offsets[node + 1] ?? 0)) {
        cursor[node] = at + 1;
        const target = targets[at] ?? 0;
        if ((order[target] ?? 0) === -1) enter(target);
        else if (onStack[target] === 1) low[node] = Math.min(low[node] ?? 0, order[target] ?? 0);
        continue;
      }
      calls.pop();
      const caller = calls[calls.length - 1];
      if (caller !== undefined) low[caller] = Math.min(low[caller] ?? 0, low[node] ?? 0);
      if (low[node] !== order[node]) continue;
      // Most parts are one task waiting on nothing that waits on it: no list, no search.
      if (open[open.length - 1] === node && !waitsOnItself(graph, node)) {
        open.pop();
        onStack[node] = 0;
        continue;
      }
      const nodes: number[] = [];
      for (let member = -1; member !== node;) {
        member = open.pop() ?? node;
        onStack[member] = 0;
        part[member] = cycles.length;
        nodes.push(member);
      }
      const cycle = cycleOf(graph, nodes, part);
      if (cycle === null) for (const member of nodes) part[member] = -1;
      else cycles.push(cycle);
    }
  }
  return cycles;
}

function waitsOnItself(graph: WaitGraph, node: number): boolean {
  for (let edge = graph.offsets[node] ?? 0; edge < (graph.offsets[node + 1] ?? 0); edge += 1)
    if (graph.targets[edge] === node) return true;
  return false;
}

// The cycle held by one strongly connected part (its nodes marked with their index in `part`),
// or null when it holds none (a single node without an edge to itself).
function cycleOf(graph: WaitGraph, nodes: number[], part: Int32Array): WaitCycle | null {
  const members = nodes.filter((node) => node < graph.tasks).sort((a, b) => a - b);
  const first = members[0];
  if (first === undefined) return null;
  const id = part[first] ?? -1;
  // Breadth first from the first task, inside the part, until an edge leads back to it.
  const parent = new Map<number, number>([[first, -1]]);
  const queue = [first];
  for (let head = 0; head < queue.length; head += 1) {
    const node: number = queue[head] ?? first;
    for (
      let edge: number = graph.offsets[node] ?? 0;
      edge < (graph.offsets[node + 1] ?? 0);
      edge += 1
    ) {
      const target: number = graph.targets[edge] ?? 0;
      if (target === first) return { walk: [...pathTo(parent, node), first], members };
      if (part[target] !== id || parent.has(target)) continue;
      parent.set(target, node);
      queue.push(target);
    }
  }
  return null;
}

function pathTo(parent: ReadonlyMap<number, number>, node: number): number[] {
  const path: number[] = [];
  for (let at = node; at !== -1; at = parent.get(at) ?? -1) path.push(at);
  return path.reverse();
}
