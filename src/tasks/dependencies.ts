import { findCycles, type WaitCycle } from './dependency-cycles.js';
import { waitsToStart, type NameRef } from './name-tags.js';
import { buildWaitGraph, type NameIndex } from './wait-graph.js';
import type { Diagnostic, Task } from './types.js';

/**
 * The file-wide checks of named dependencies: a name on two lines (`duplicate-name`), an `after:`
 * name no task has (`unknown-dependency`), and tasks waiting on each other (`dependency-cycle`,
 * through `after:` and `[⏰]` alike). All are errors; each sets `hasError` on the pending or
 * blocked task it concerns, so that task never starts (a cycle would otherwise wait forever).
 * `refs` are in line order, as the tasks are.
 */
export function checkDependencies(
  tasks: readonly Task[],
  refs: readonly NameRef[],
  names: NameIndex,
  diagnostics: Diagnostic[],
): void {
  if (refs.length === 0) return;
  const byLine = new Map(tasks.map((task) => [task.line, task]));
  let waits = false;
  for (const ref of refs) {
    const task = byLine.get(ref.line);
    if (task === undefined) continue;
    const carriers = names.get(ref.name);
    const { line, column, endColumn } = ref;
    const place = { severity: 'error' as const, line, column, endLine: line, endColumn };
    if (ref.kind === 'name') {
      const first = tasks[carriers?.[0] ?? -1];
      if (first === undefined || first.line === ref.line) continue;
      const message = `Name \`${ref.name}\` is already used on line ${first.line}`;
      diagnostics.push({ rule: 'duplicate-name', ...place, message, actual: ref.name });
    } else if (!waitsToStart(task.status)) {
      continue;
    } else if (carriers === undefined) {
      const message = `No task is named \`${ref.name}\` (give one the tag \`name:${ref.name}\`)`;
      diagnostics.push({ rule: 'unknown-dependency', ...place, message, actual: ref.name });
    } else {
      waits = true;
      continue;
    }
    if (waitsToStart(task.status)) task.hasError = true;
  }
  // Without an `after:` that resolves, `[⏰]` alone only waits on lines above: no cycle.
  if (!waits) return;
  const graph = buildWaitGraph(tasks, names);
  for (const cycle of findCycles(graph)) {
    const first = tasks[cycle.members[0] ?? -1];
    if (first === undefined) continue;
    for (const member of cycle.members) {
      const task = tasks[member];
      if (task !== undefined && waitsToStart(task.status)) task.hasError = true;
    }
    diagnostics.push({
      rule: 'dependency-cycle',
      severity: 'error',
      line: first.line,
      column: first.column,
      message: describeCycle(tasks, graph.tasks, cycle),
    });
  }
}

// "Tasks wait on each other: line 3 waits on line 8 (after:b), line 8 waits on line 3 (⏰, above
// it); none of them can start", naming the other lines of the same knot too.
function describeCycle(tasks: readonly Task[], count: number, cycle: WaitCycle): string {
  const steps: string[] = [];
  const onWalk = new Set<number>();
  let from = cycle.walk[0] ?? 0;
  let throughAbove = false;
  for (const node of cycle.walk.slice(1)) {
    if (node >= count) {
      throughAbove = true;
      continue;
    }
    const to = tasks[node];
    const why = throughAbove ? '⏰, above it' : `after:${to?.name ?? '?'}`;
    steps.push(`line ${tasks[from]?.line ?? '?'} waits on line ${to?.line ?? '?'} (${why})`);
    onWalk.add(from);
    from = node;
    throughAbove = false;
  }
  const others = cycle.members.filter((member) => !onWalk.has(member));
  const lines = others.map((member) => tasks[member]?.line ?? '?').join(', ');
  const also =
    others.length === 0
      ? ''
      : others.length === 1
        ? `; line ${lines} is caught in it too`
        : `; lines ${lines} are caught in it too`;
  return `Tasks wait on each other: ${steps.join(', ')}${also}; none of them can start`;
}
