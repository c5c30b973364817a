import { isTaskName, TASK_NAME_RULE, type NameTag } from './task-names.js';
import type { Diagnostic, TaskStatus } from './types.js';

/** Where a task's name or one of its `after:` names is written, for the file-wide checks. */
export interface NameRef {
  kind: 'name' | 'after';
  name: string;
  line: number;
  column: number;
  endColumn: number;
}

/** What the name tags of one task gave so far. */
export interface TaskNames {
  name: string | null;
  after: string[];
  hasError: boolean;
}

/** The place of one tag: its line, the column of its word and the tag as written. */
export interface TagPlace {
  line: number;
  column: number;
  tag: string;
}

/**
 * True for the tasks whose start a dependency problem governs (pending, blocked): only these
 * get `hasError` from one, so a running or finished task still gets its outcome written.
 */
export function waitsToStart(status: TaskStatus): boolean {
  return status === 'pending' || status === 'blocked';
}

/**
 * Adds the names of one `name:`/`after:` tag to `names` and `refs`. With `diagnostics` (not for
 * edits), a malformed name is `invalid-task-name` and a second name `duplicate-name`, errors.
 */
export function readNames(
  named: NonNullable<NameTag>,
  place: TagPlace,
  status: TaskStatus,
  names: TaskNames,
  refs: NameRef[],
  diagnostics: Diagnostic[] | null,
): void {
  const { line, column } = place;
  const endColumn = column + place.tag.length;
  const report = (rule: 'invalid-task-name' | 'duplicate-name', message: string): void => {
    if (diagnostics === null) return;
    diagnostics.push({ rule, severity: 'error', line, column, endLine: line, endColumn, message });
    if (waitsToStart(status)) names.hasError = true;
  };
  for (const name of named.names) {
    if (!isTaskName(name)) {
      report(
        'invalid-task-name',
        `Task name \`${name}\` (tag \`${place.tag}\`) is not a task name: ${TASK_NAME_RULE}`,
      );
    } else if (named.kind === 'after') {
      if (!names.after.includes(name)) names.after.push(name);
      refs.push({ kind: 'after', name, line, column, endColumn });
    } else if (names.name === null) {
      names.name = name;
      refs.push({ kind: 'name', name, line, column, endColumn });
    } else {
      report(
        'duplicate-name',
        `This task is already named \`${names.name}\` (tag \`${place.tag}\`): a task has one name`,
      );
    }
  }
}
