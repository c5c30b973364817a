import { parseTasks, readMarker, setRecordedMarker } from '../tasks/index.js';
import type { ParseOptions, RecordedMarker, Task } from '../tasks/index.js';
import { isActive, recordedMarker } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';

/** One line whose marker was put back to what its run record says. */
export interface MarkerChange {
  id: string;
  line: number;
  /** The line's text before the change. */
  before: string;
  marker: RecordedMarker;
  /** Found by the line's text (its ID was gone), not by its ID. */
  byText: boolean;
}

/** What reconciling tasks.md with the run records did. */
export interface Reconciled {
  text: string;
  changes: MarkerChange[];
  /** Active runs whose task has no line any more (deleted by a person): to be cancelled. */
  missing: string[];
}

/** A line without its status marker: what stays the same when only the marker goes back. */
export function lineKey(task: Pick<Task, 'text' | 'column'>): string {
  const start = task.column - 1;
  const read = readMarker(task.text.slice(start));
  const end = start + (read.kind === 'marker' ? read.length : 0);
  return task.text.slice(0, start) + task.text.slice(end);
}

// Does the line already show what the record says?
function shows(task: Task, marker: RecordedMarker): boolean {
  switch (marker.status) {
    case 'in_progress':
      return task.status === 'in_progress';
    case 'done':
      return task.status === 'done' && task.commit?.toLowerCase() === marker.hash.slice(0, 9);
    case 'failed':
      return task.status === 'failed';
    case 'pending':
      return task.status === 'pending' || task.status === 'blocked';
  }
}

// Records that give their marker back to a line found by text: settled or running, not those
// whose marker may not have reached the file yet (`claimed`) nor those given back (`[]`).
function restorableByText(record: RunRecord): boolean {
  return (
    record.claimText !== null &&
    record.status !== 'claimed' &&
    record.status !== 'released' &&
    record.status !== 'retried'
  );
}

/**
 * Makes the markers of `text` agree with the run records (the records win: tasks.md is a view
 * that editors, git and agents can roll back or forge). A line carrying a record's ID gets that
 * record's marker. A record whose ID is in no line gives its marker back to a pending or blocked
 * line that reads as its line did at claim time, apart from the marker; several identical lines
 * are paired with their records in order (records by claim line, then start; lines top down), so
 * the result does not depend on the order the records were read in. A line whose own record gives
 * its marker back may be taken that way too, so a stale copy of a claim that was released and
 * then claimed again shows the later outcome, not `[]`. Lines with an error
 * diagnostic (a duplicated ID, say) are left alone. Pure: a function of the text and records.
 */
export function reconcile(
  text: string,
  records: readonly RunRecord[],
  options: ParseOptions,
): Reconciled {
  const tasks = parseTasks(text, options).tasks;
  const byId = new Map<string, Task[]>();
  for (const task of tasks) {
    if (task.id !== null) byId.set(task.id, [...(byId.get(task.id) ?? []), task]);
  }
  const edits: { task: Task; record: RunRecord; byText: boolean }[] = [];
  const unmatched: RunRecord[] = [];
  for (const record of records) {
    const holders = byId.get(record.id);
    if (holders === undefined) unmatched.push(record);
    else if (holders.length === 1 && holders[0] !== undefined && !holders[0].hasError)
      edits.push({ task: holders[0], record, byText: false });
  }
  // A line whose own record gives its marker back (`[]`) is free for another record to take.
  const givenBack = new Set(
    edits.filter(({ record }) => recordedMarker(record).status === 'pending').map((e) => e.task),
  );
  const free = new Map<string, Task[]>();
  for (const task of tasks) {
    const pending =
      task.id === null &&
      !task.hasError &&
      (task.status === 'pending' || task.status === 'blocked');
    if (!pending && !givenBack.has(task)) continue;
    const key = lineKey(task);
    free.set(key, [...(free.get(key) ?? []), task]);
  }
  const missing: string[] = [];
  const ordered = unmatched
    .filter(restorableByText)
    .sort(
      (a, b) =>
        (a.claimLine ?? 0) - (b.claimLine ?? 0) ||
        a.startedAt.localeCompare(b.startedAt) ||
        a.id.localeCompare(b.id),
    );
  for (const record of ordered) {
    const task = free.get(claimKey(record))?.shift();
    if (task !== undefined) edits.push({ task, record, byText: true });
    else if (isActive(record)) missing.push(record.id);
  }

  const taken = new Set(edits.filter((edit) => edit.byText).map((edit) => edit.task));
  const changes: MarkerChange[] = [];
  for (const { task, record, byText } of edits.sort((a, b) => a.task.line - b.task.line)) {
    if (!byText && taken.has(task)) continue;
    const marker = recordedMarker(record);
    if (!byText && shows(task, marker)) continue;
    const result = setRecordedMarker(text, task, marker);
    if (!result.ok) continue;
    text = result.text;
    changes.push({ id: record.id, line: task.line, before: task.text, marker, byText });
  }
  return { text, changes, missing };
}

// The key of a record's line at claim time (its text, with the marker taken out).
function claimKey(record: RunRecord): string {
  const text = record.claimText ?? '';
  const start = text.search(/\[/);
  return start === -1 ? text : lineKey({ text, column: start + 1 });
}
