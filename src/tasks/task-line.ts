import { isModelName } from './model-name.js';
import { trimmedSlice, trimEndAt, trimStartAt } from './lines.js';
import { removeTags } from './remove-tags.js';
import { modelOfTag, pickModel, scanTags, TagScan, workflowOfTag } from './tags.js';
import { nameTagKind } from './task-names.js';
import { NO_NAMES, readNames } from './name-tags.js';
import type { Diagnostic, Task, TaskStatus, WorkflowRef } from './types.js';

/** What a task line's marker says: the fields of its task that come from the marker. */
export interface MarkerFields {
  status: TaskStatus;
  manual: boolean;
  id: string | null;
  hash: string | null;
}

/** How tags resolve: defaults, known workflows, and whether unknown ones are reported. */
export interface TagContext {
  defaultModel: string;
  defaultWorkflow: string;
  workflows: readonly WorkflowRef[];
  known: ReadonlySet<string>;
  checkWorkflows: boolean;
  /** False for edits: names and `after:` tags never stop a line being changed. */
  checkDependencies: boolean;
}

const SEPARATOR = ' // ';
// A placeholder until resolveTaskLine sets the task's own list (it always does).
const NO_TAGS: string[] = [];
/**
 * The tags of the line being resolved: one scan filled again for each line, read to the end
 * before the next (resolveTaskLine is synchronous and never re-entered).
 */
const scan = new TagScan();
/** Above this, `check` warns about a task's prompt (1 MiB). */
const LARGE_PROMPT_BYTES = 1024 * 1024;

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Splits the text after a marker into the description and a trailing ` // ` note or error. */
export function splitTrailing(rest: string): { body: string; trailing: string | null } {
  const cut = rest.lastIndexOf(SEPARATOR);
  if (cut === -1) return { body: rest, trailing: null };
  return { body: rest.slice(0, cut), trailing: rest.slice(cut + SEPARATOR.length).trim() };
}

/**
 * Resolves the text of a task made by createTask, once its details are read: description, note
 * or error, tags, model, workflow, name and `after:` names, prompt. It runs for every task of the
 * file: the line is cut by offsets and sliced once per field, and the lists it needs only for a
 * few tasks are made on first use. `afterMarker` is the offset in its text after the marker.
 */
export function resolveTaskLine(
  task: Task,
  afterMarker: number,
  context: TagContext,
  diagnostics: Diagnostic[],
): void {
  const { text } = task;
  // The last ` // ` after the marker; one that starts inside the marker is none. Found with
  // indexOf from the marker on: lastIndexOf of a string goes through the (slower) runtime.
  let cut = -1;
  for (
    let at = text.indexOf(SEPARATOR, afterMarker);
    at !== -1;
    at = text.indexOf(SEPARATOR, at + 1)
  )
    cut = at;
  const bodyEnd = cut === -1 ? text.length : cut;
  const from = trimStartAt(text, afterMarker, bodyEnd);
  const description = text.slice(from, trimEndAt(text, from, bodyEnd));
  const trailing = cut === -1 ? null : trimmedSlice(text, cut + SEPARATOR.length, text.length);
  const descriptionColumn = from + 1;
  scanTags(description, scan);
  const tags = scan.strings(description);
  let firstModel: string | null = null;
  let models: string[] | null = null; // only for a task with two model tags or more
  let workflow: string | null = null;
  let hasError = false;

  for (let index = 0; index < scan.count; index += 1) {
    const tag = tags[index] ?? '';
    const column = descriptionColumn + (scan.starts[index] ?? 0);
    const endColumn = descriptionColumn + (scan.ends[index] ?? 0);
    const kind = nameTagKind(tag);
    if (kind !== null) {
      scan.remove[index] = true;
      const diagnosticsHere = context.checkDependencies ? diagnostics : null;
      readNames(task, diagnosticsHere, kind, tag, column);
      continue;
    }
    const model = modelOfTag(tag);
    const selected = model === null ? workflowOfTag(tag, context.workflows) : null;
    scan.remove[index] = model !== null || selected !== null;
    if (model !== null && !isModelName(model)) {
      hasError = true;
      diagnostics.push({
        rule: 'model-name',
        severity: 'error',
        line: task.line,
        column,
        message: `Model \`${model}\` (tag \`${tag}\`) is not a model name: letters, digits and . _ : / @ + -, not starting with "-"`,
      });
    } else if (model !== null && firstModel === null) firstModel = model;
    else if (model !== null) (models ??= [firstModel ?? model]).push(model);
    if (selected === null) continue;
    if (context.checkWorkflows && !context.known.has(selected)) {
      hasError = true;
      diagnostics.push({
        rule: 'unknown-workflow',
        severity: 'error',
        line: task.line,
        column,
        endLine: task.line,
        endColumn,
        message: `Unknown workflow \`${selected}\` (tag \`${tag}\`); known: ${[...context.known].join(', ')}`,
        expected: [...context.known],
        actual: selected,
      });
    } else if (workflow !== null && workflow !== selected) {
      diagnostics.push({
        rule: 'multiple-workflows',
        severity: 'warning',
        line: task.line,
        column,
        endLine: task.line,
        endColumn,
        message: `Tag \`${tag}\` selects workflow \`${selected}\`, but \`${workflow}\` was selected first and wins`,
      });
    }
    workflow ??= selected;
  }
  const cleaned = removeTags(description, scan);
  const prompt = task.details.length === 0 ? cleaned : withDetails(cleaned, task.details);
  if (prompt === '' && (task.status === 'pending' || task.status === 'blocked')) {
    hasError = true;
    diagnostics.push({
      rule: 'empty-task',
      severity: 'error',
      line: task.line,
      column: task.column,
      message: 'Task has no description',
    });
  }
  // A prompt this big still runs (it goes by stdin), but it is rarely what was meant.
  if (prompt.length > LARGE_PROMPT_BYTES / 4 && utf8Length(prompt) > LARGE_PROMPT_BYTES) {
    diagnostics.push({
      rule: 'large-prompt',
      severity: 'warning',
      line: task.line,
      column: task.column,
      message: `The prompt of this task is ${utf8Length(prompt)} bytes, over 1 MiB`,
    });
  }
  const failed = task.status === 'failed';
  task.error = failed && trailing !== null ? withoutFailed(trailing) : null;
  task.note = failed ? null : trailing;
  task.description = description;
  task.prompt = prompt;
  task.tags = tags;
  task.model = models === null ? (firstModel ?? context.defaultModel) : pickModel(models, '');
  task.modelTag = models === null ? firstModel : pickModel(models, '');
  task.workflow = workflow ?? context.defaultWorkflow;
  // Its name tags set name, after and, on a problem, hasError as they were read.
  if (hasError) task.hasError = true;
}

/** The task of a task line as the marker gives it; resolveTaskLine sets the rest. */
export function createTask(line: number, column: number, text: string, marker: MarkerFields): Task {
  return new ParsedTask(line, column, text, marker);
}

/**
 * A task as the reader makes it: the fields of its line and marker, the rest at their empty
 * values until resolveTaskLine sets them (the reader adds the details). Made with `new` rather
 * than as an object literal, for speed: once most objects of a literal outlive a garbage
 * collection, as tasks do, V8 makes that literal's objects straight in the old generation
 * (allocation-site pretenuring), and every young string then stored into one costs a write
 * barrier; objects made by a constructor are not pretenured. A parse of 10,000 tasks took about
 * half the time with pretenuring turned off, and as much with this class.
 */
class ParsedTask implements Task {
  declare line: number;
  declare column: number;
  declare text: string;
  declare section: string;
  declare status: TaskStatus;
  declare manual: boolean;
  declare id: string | null;
  declare commit: string | null;
  declare error: string | null;
  declare note: string | null;
  declare description: string;
  declare prompt: string;
  declare details: string[];
  declare tags: string[];
  declare model: string;
  declare modelTag: string | null;
  declare workflow: string;
  declare name: string | null;
  declare after: readonly string[];
  declare hasError: boolean;
  declare runnable: boolean;
  declare blockedBy: number | null;
  declare blockedVia: string | null;

  constructor(line: number, column: number, text: string, marker: MarkerFields) {
    // Every field in the order of Task, so that all tasks share one shape.
    this.line = line;
    this.column = column;
    this.text = text;
    this.section = ''; // set by the caller, which knows the sections
    this.status = marker.status;
    this.manual = marker.manual;
    this.id = marker.id;
    this.commit = marker.hash;
    this.error = null;
    this.note = null;
    this.description = '';
    this.prompt = '';
    this.details = [];
    this.tags = NO_TAGS;
    this.model = '';
    this.modelTag = null;
    this.workflow = '';
    this.name = null;
    this.after = NO_NAMES;
    this.hasError = false;
    this.runnable = false;
    this.blockedBy = null;
    this.blockedVia = null;
  }
}

// The error of a failed line without its `Failed:` prefix and the blanks after it.
function withoutFailed(trailing: string): string {
  return trailing.startsWith('Failed:') ? trailing.replace(/^Failed:\s*/, '') : trailing;
}

// [cleaned, ...details].join('\n').trim(), without the spread.
function withDetails(cleaned: string, details: readonly string[]): string {
  let prompt = cleaned;
  for (const detail of details) prompt += `\n${detail}`;
  return prompt.trim();
}
