import { isTaskName, TASK_NAME_RULE } from './task-names.js';
import type { Diagnostic, Task, TaskStatus } from './types.js';

/**
 * The fields of a task its name tags set (`after` is the shared `NO_NAMES` until the first
 * `after:` name), and what a problem with one needs.
 */
type NamedTask = Pick<Task, 'name' | 'after' | 'hasError' | 'line' | 'status'>;

/** No `after:` names: one shared empty list, so 10,000 tasks without any allocate none. */
export const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * True for the tasks whose start a dependency problem governs (pending, blocked): only these
 * get `hasError` from one, so a running or finished task still gets its outcome written.
 */
export function waitsToStart(status: TaskStatus): boolean {
  return status === 'pending' || status === 'blocked';
}

/**
 * Adds the names of one `name:`/`after:` tag (`tag`, its word at `column`) to the task. With
 * diagnostics (null for edits), a malformed name is `invalid-task-name` and a second name
 * `duplicate-name`, errors that set `hasError` on a task waiting to start.
 */
export function readNames(
  task: NamedTask,
  diagnostics: Diagnostic[] | null,
  kind: 'name' | 'after',
  tag: string,
  column: number,
): void {
  if (kind === 'after' && task.after === NO_NAMES) {
    // Most tasks have one `after:` list of good names, each once: it is kept as split, a list of
    // its exact length, where one grown by push would keep room for 17 names in every task.
    const list = splitNames(tag, kind.length + 1);
    if (areDistinctNames(list)) {
      task.after = list;
      return;
    }
  }
  for (let start = kind.length + 1; start <= tag.length;) {
    const comma = kind === 'after' ? tag.indexOf(',', start) : -1;
    const end = comma === -1 ? tag.length : comma;
    const name = tag.slice(start, end);
    start = end + 1;
    if (!isTaskName(name)) {
      const message = `Task name \`${name}\` (tag \`${tag}\`) is not a task name: ${TASK_NAME_RULE}`;
      report(task, diagnostics, 'invalid-task-name', message, tag, column);
    } else if (kind === 'after') {
      if (task.after === NO_NAMES) task.after = [name];
      else if (!task.after.includes(name)) (task.after as string[]).push(name);
    } else if (task.name === null) {
      task.name = name;
    } else {
      const message = `This task is already named \`${task.name}\` (tag \`${tag}\`): a task has one name`;
      report(task, diagnostics, 'duplicate-name', message, tag, column);
    }
  }
}

// tag.slice(start).split(','), without the string in between or the runtime call of split (for
// 10,000 lists of two names, 0.4 ms against 1.9 ms): counted first, so the list has the exact
// length split gives.
function splitNames(tag: string, start: number): string[] {
  let count = 1;
  for (let comma = tag.indexOf(',', start); comma !== -1; comma = tag.indexOf(',', comma + 1))
    count += 1;
  const list = new Array<string>(count);
  let from = start;
  for (let at = 0; at < count - 1; at += 1) {
    const comma = tag.indexOf(',', from);
    list[at] = tag.slice(from, comma);
    from = comma + 1;
  }
  list[count - 1] = tag.slice(from);
  return list;
}

// True when every item is a task name and none comes twice (a short list: longer ones, rare,
// take the general way).
function areDistinctNames(list: readonly string[]): boolean {
  if (list.length > 16) return false;
  for (let at = 0; at < list.length; at += 1) {
    const name = list[at] ?? '';
    if (!isTaskName(name) || list.indexOf(name) !== at) return false;
  }
  return true;
}

function report(
  task: NamedTask,
  diagnostics: Diagnostic[] | null,
  rule: 'invalid-task-name' | 'duplicate-name',
  message: string,
  tag: string,
  column: number,
): void {
  if (diagnostics === null) return;
  const { line } = task;
  const endColumn = column + tag.length;
  diagnostics.push({
    rule,
    severity: 'error',
    line,
    column,
    endLine: line,
    endColumn,
    message,
  });
  if (waitsToStart(task.status)) task.hasError = true;
}

/**
 * The column of the `name:`/`after:` tag of `task` that gives `name` (the task's own column when
 * not found): found again in the line only for a diagnostic, so parsing keeps no places.
 */
export function nameTagColumn(task: Task, kind: 'name' | 'after', name: string): number {
  const lower = task.text.toLowerCase();
  for (let at = lower.indexOf(`${kind}:`); at !== -1; at = lower.indexOf(`${kind}:`, at + 1)) {
    const before = lower.charAt(at - 1);
    if (before !== '#' && before !== '{' && before !== ',' && before !== ' ') continue;
    const written = /^[A-Za-z0-9_.:,-]*/.exec(task.text.slice(at + kind.length + 1))?.[0] ?? '';
    const names = written.split(',').slice(0, kind === 'name' ? 1 : undefined);
    if (names.some((candidate) => candidate.replace(/[.:]+$/, '') === name)) return at + 1;
  }
  return task.column;
}
