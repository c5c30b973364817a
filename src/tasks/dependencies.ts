import { findCycles, type WaitCycle } from './dependency-cycles.js';
import { nameTagColumn, waitsToStart } from './name-tags.js';
import type { NameIndex } from './name-index.js';
import { buildWaitGraph } from './wait-graph.js';
import type { Diagnostic, DiagnosticRule, Task } from './types.js';

/**
 * The file-wide checks of named dependencies: a name on two lines (`duplicate-name`), an `after:`
 * name no task has (`unknown-dependency`), and tasks waiting on each other (`dependency-cycle`,
 * through `after:` and `[⏰]` alike). All are errors; each sets `hasError` on the pending or
 * blocked task it concerns, so that task never starts (a cycle would otherwise wait forever).
 * An `after:` on a task that already started or finished is history and is not checked.
 */
export function checkDependencies(
  tasks: readonly Task[],
  names: NameIndex,
  diagnostics: Diagnostic[],
): void {
  // A cycle needs an edge to a later line or to itself (`[⏰]` only waits on lines above): when
  // every `after:` names tasks above, there is none, and no graph needs building.
  let forward = false;
  for (let index = 0; index < tasks.length; index += 1) {
    const task = tasks[index];
    if (task === undefined) continue;
    // Only a name carried by several tasks can be a duplicate: in most files none is, and no
    // name is looked up here.
    const shared = task.name !== null && names.isShared(task.name);
    const first = shared ? tasks[names.first(task.name ?? '')] : undefined;
    if (task.name !== null && first !== undefined && first !== task) {
      const message = `Name \`${task.name}\` is already used on line ${first.line}`;
      report(diagnostics, task, 'duplicate-name', 'name', task.name, message);
    }
    if (task.after.length === 0 || !waitsToStart(task.status)) continue;
    const { after } = task;
    for (let at = 0; at < after.length; at += 1) {
      const name = after[at] ?? '';
      const last = names.last(name);
      if (last !== -1) forward ||= last >= index;
      else {
        const message = `No task is named \`${name}\` (give one the tag \`name:${name}\`)`;
        report(diagnostics, task, 'unknown-dependency', 'after', name, message);
      }
    }
  }
  if (!forward) return;
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

function report(
  diagnostics: Diagnostic[],
  task: Task,
  rule: DiagnosticRule,
  kind: 'name' | 'after',
  name: string,
  message: string,
): void {
  const column = nameTagColumn(task, kind, name);
  diagnostics.push({ rule, severity: 'error', line: task.line, column, message, actual: name });
  if (waitsToStart(task.status)) task.hasError = true;
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
