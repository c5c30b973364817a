import { splitLines } from './lines.js';
import { readMarker } from './marker.js';
import { parseTasksWith, type ParseSettings } from './parse.js';
import { sanitizeReason } from './reason.js';
import { splitTrailing } from './task-line.js';
import type { EditResult, ParseOptions, Task, TaskStatus } from './types.js';
import { COMMIT_HASH, TASK_ID } from './task-id.js';
import { bomLength, withoutBom } from './bom.js';

// Edits find their line with the real parser, so a line that only looks like a task (inside a
// code block, say) can never be changed. Workflow names and dependencies are not checked: the
// caller decided.
const SETTINGS: ParseSettings = { engine: 'auto', checkWorkflows: false, checkDependencies: false };
const OPTIONS: ParseOptions = {
  defaultSection: 'adw',
  defaultModel: 'sonnet',
  defaultWorkflow: 'build',
  workflows: [],
};
const FAILED_PREFIX = ' // Failed: ';

/** Claims a pending or blocked task: its marker becomes `[🟡, ID]`, if the line is unchanged. */
export function claimTask(
  source: string,
  task: Pick<Task, 'line' | 'text'>,
  id: string,
): EditResult {
  const { text, results } = claimTasks(source, [{ task, id }]);
  const result = results[0];
  return result === undefined || result.ok ? { ok: true, text } : result;
}

/**
 * Claims several tasks with one parse of the file, each a compare-and-swap on its line as in
 * claimTask. A marker splice never changes the structure of other lines, so one parse serves
 * every claim: claiming thousands of tasks costs one parse, not one each.
 */
export function claimTasks(
  source: string,
  claims: readonly { task: Pick<Task, 'line' | 'text'>; id: string }[],
): { text: string; results: EditResult[] } {
  for (const { id } of claims) checkId(id);
  const byLine = new Map(parseTasksWith(source, OPTIONS, SETTINGS).tasks.map((t) => [t.line, t]));
  const body = withoutBom(source);
  const lines = splitLines(body);
  const replaced = new Map<number, string>();
  const results = claims.map(({ task, id }): EditResult => {
    const now = body.slice(lines.starts[task.line - 1] ?? 0, lines.ends[task.line - 1] ?? 0);
    if (task.line > lines.starts.length || now !== task.text || replaced.has(task.line)) {
      return fail('changed', `Line ${task.line} changed since it was read`);
    }
    const found = byLine.get(task.line);
    if (found === undefined) return fail('changed', `Line ${task.line} is no longer a task`);
    const refused = claimRefusal(found);
    if (refused !== null) return refused;
    replaced.set(task.line, withMarker(found, `[🟡, ${id}]`, null));
    return { ok: true, text: '' };
  });
  return { text: replaceLines(source, replaced), results };
}

/**
 * Puts a claim back after an editor wrote an older copy of the file over it: the line whose text
 * is still the pre-claim `task.text` (on `task.line`, else the only such line) gets `[🟡, ID]`.
 */
export function restoreClaim(
  source: string,
  task: Pick<Task, 'line' | 'text'>,
  id: string,
): EditResult {
  checkId(id);
  const tasks = parseTasksWith(source, OPTIONS, SETTINGS).tasks;
  const holder = tasks.find((candidate) => candidate.id === id);
  if (holder !== undefined)
    return fail('wrong-state', `ID ${id} is already on line ${holder.line}`);
  const matches = tasks.filter((candidate) => candidate.text === task.text);
  const found = matches.find((candidate) => candidate.line === task.line) ?? matches[0];
  if (found === undefined) return fail('not-found', `No task line reads \`${task.text}\``);
  if (found.line !== task.line && matches.length > 1) {
    const lines = matches.map((match) => match.line).join(', ');
    return fail(
      'changed',
      `Lines ${lines} all read \`${task.text}\`; cannot tell which one was claimed`,
    );
  }
  return claimFound(source, found, id);
}

/** Marks the in-progress task `id` done with the first 9 characters of `hash`: `[✅ HASH9, ID]`. */
export function completeTask(source: string, id: string, hash: string): EditResult {
  checkId(id);
  if (!COMMIT_HASH.test(hash))
    throw new RangeError(`Expected a commit hash of 4 to 40 hex characters, got \`${hash}\``);
  const found = findById(source, id, ['in_progress']);
  if (!found.ok) return found;
  return {
    ok: true,
    text: splice(source, found.task, `[✅ ${hash.slice(0, 9).toLowerCase()}, ${id}]`, null),
  };
}

/** Marks the in-progress task `id` failed: `[❌, ID] … // Failed: REASON` (existing text kept). */
export function failTask(source: string, id: string, reason: string): EditResult {
  checkId(id);
  const found = findById(source, id, ['in_progress']);
  if (!found.ok) return found;
  const tail = { from: found.task.text.length, text: `${FAILED_PREFIX}${sanitizeReason(reason)}` };
  return { ok: true, text: splice(source, found.task, `[❌, ${id}]`, tail) };
}

/**
 * Puts the failed or in-progress task `id` back to `[]`. On a failed line the trailing
 * ` // Failed: …` goes too (only the last ` // ` part, only when it starts with `Failed:`).
 */
export function resetTask(source: string, id: string): EditResult {
  checkId(id);
  const found = findById(source, id, ['failed', 'in_progress']);
  if (!found.ok) return found;
  const { task } = found;
  let tail: { from: number; text: string } | null = null;
  if (task.status === 'failed') {
    const { body, trailing } = splitTrailing(task.text);
    if (trailing?.startsWith('Failed:') === true) tail = { from: body.length, text: '' };
  }
  return { ok: true, text: splice(source, task, '[]', tail) };
}

function claimRefusal(found: Task): EditFailure | null {
  if (found.hasError)
    return fail('wrong-state', `Line ${found.line} has an error; it is left alone`);
  if (found.status !== 'pending' && found.status !== 'blocked') {
    return fail('wrong-state', `Line ${found.line} is ${found.status}, not pending or blocked`);
  }
  return null;
}

function claimFound(source: string, found: Task, id: string): EditResult {
  return claimRefusal(found) ?? { ok: true, text: splice(source, found, `[🟡, ${id}]`, null) };
}

function findById(
  source: string,
  id: string,
  states: readonly TaskStatus[],
): { ok: true; task: Task } | EditFailure {
  const tasks = parseTasksWith(source, OPTIONS, SETTINGS).tasks;
  const task = tasks.find((candidate) => candidate.id === id);
  if (task === undefined) return fail('not-found', `No task has ID ${id}`);
  if (task.hasError)
    return fail('wrong-state', `Line ${task.line} (ID ${id}) has an error; it is left alone`);
  if (!states.includes(task.status)) {
    return fail(
      'wrong-state',
      `Line ${task.line} (ID ${id}) is ${task.status}, not ${states.join(' or ')}`,
    );
  }
  return { ok: true, task };
}

// Replaces the marker of `task`'s line and optionally everything from `tail.from` to the line's
// end; every other byte of `source` (BOM, line endings, other lines) is kept.
function splice(
  source: string,
  task: Task,
  marker: string,
  tail: { from: number; text: string } | null,
): string {
  return replaceLines(source, new Map([[task.line, withMarker(task, marker, tail)]]));
}

// The text of `task`'s line with its marker replaced (and the tail, when given).
function withMarker(
  task: Task,
  marker: string,
  tail: { from: number; text: string } | null,
): string {
  const markerStart = task.column - 1;
  const read = readMarker(task.text.slice(markerStart));
  const markerEnd = markerStart + (read.kind === 'marker' ? read.length : 0);
  const rest =
    tail === null ? task.text.slice(markerEnd) : task.text.slice(markerEnd, tail.from) + tail.text;
  return task.text.slice(0, markerStart) + marker + rest;
}

// Replaces whole lines (1-based, without their line endings); all other bytes are kept.
function replaceLines(source: string, replaced: ReadonlyMap<number, string>): string {
  if (replaced.size === 0) return source;
  const bom = bomLength(source);
  const lines = splitLines(source.slice(bom));
  const parts: string[] = [];
  let from = 0;
  for (const [line, text] of [...replaced].sort(([a], [b]) => a - b)) {
    const start = bom + (lines.starts[line - 1] ?? 0);
    parts.push(source.slice(from, start), text);
    from = bom + (lines.ends[line - 1] ?? 0);
  }
  parts.push(source.slice(from));
  return parts.join('');
}

function checkId(id: string): void {
  if (!TASK_ID.test(id))
    throw new RangeError(`Expected an ID of letters, digits, _ or -, got \`${id}\``);
}

type EditFailure = Extract<EditResult, { ok: false }>;

function fail(reason: EditFailure['reason'], message: string): EditFailure {
  return { ok: false, reason, message };
}

/** The marker a run record says a line must show. */
export type RecordedMarker =
  | { status: 'in_progress'; id: string }
  | { status: 'done'; id: string; hash: string }
  | { status: 'failed'; id: string; reason: string }
  | { status: 'pending' };

/**
 * Sets the marker of the task `task` (found by line and exact text, a compare-and-swap) to the
 * recorded one, whatever it shows now: a stale or forged marker is replaced. A ` // Failed: …`
 * tail goes when the line is not failed, and is replaced by the recorded reason when it is.
 */
export function setRecordedMarker(
  source: string,
  task: Pick<Task, 'line' | 'text'>,
  marker: RecordedMarker,
): EditResult {
  const found = parseTasksWith(source, OPTIONS, SETTINGS).tasks.find((t) => t.line === task.line);
  if (found?.text !== task.text)
    return fail('changed', `Line ${task.line} changed since it was read`);
  if (marker.status !== 'pending') checkId(marker.id);
  const { body, trailing } = splitTrailing(found.text);
  const failedTail = trailing?.startsWith('Failed:') === true ? body.length : null;
  const tail =
    marker.status === 'failed'
      ? {
          from: failedTail ?? found.text.length,
          text: `${FAILED_PREFIX}${sanitizeReason(marker.reason)}`,
        }
      : failedTail === null
        ? null
        : { from: failedTail, text: '' };
  const text =
    marker.status === 'in_progress'
      ? `[🟡, ${marker.id}]`
      : marker.status === 'done'
        ? `[✅ ${marker.hash.slice(0, 9).toLowerCase()}, ${marker.id}]`
        : marker.status === 'failed'
          ? `[❌, ${marker.id}]`
          : '[]';
  return { ok: true, text: splice(source, found, text, tail) };
}
