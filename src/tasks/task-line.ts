import { isModelName } from './model-name.js';
import { trimmedSlice, trimEndAt, trimStartAt } from './lines.js';
import { removeTags } from './remove-tags.js';
import { modelOfTag, pickModel, scanTags, workflowOfTag } from './tags.js';
import { nameTagKind } from './task-names.js';
import { NO_NAMES, readNames, type TaskNames } from './name-tags.js';
import type { Diagnostic, Task, TaskStatus, WorkflowRef } from './types.js';

/** What the task reader knows about one task line before resolving its text. */
export interface TaskLine {
  line: number;
  column: number;
  text: string;
  /** Offset in `text` of the first character after the marker. */
  afterMarker: number;
  status: TaskStatus;
  manual: boolean;
  id: string | null;
  hash: string | null;
  details: string[];
  section: string;
  sectionValid: boolean;
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
 * Builds the Task of a task line: description, note or error, tags, model, workflow, name and
 * `after:` names, prompt. It runs for every task of the file: the line is cut by offsets and
 * sliced once per field, and the lists it needs only for a few tasks are made on first use.
 */
export function resolveTaskLine(
  raw: TaskLine,
  context: TagContext,
  diagnostics: Diagnostic[],
): Task {
  const { text, afterMarker } = raw;
  // The last ` // ` after the marker; one that starts inside the marker is none.
  const separator = text.lastIndexOf(SEPARATOR);
  const cut = separator < afterMarker ? -1 : separator;
  const bodyEnd = cut === -1 ? text.length : cut;
  const from = trimStartAt(text, afterMarker, bodyEnd);
  const description = text.slice(from, trimEndAt(text, from, bodyEnd));
  const trailing = cut === -1 ? null : trimmedSlice(text, cut + SEPARATOR.length, text.length);
  const descriptionColumn = from + 1;
  const scan = scanTags(description);
  const tags = scan.tokens.map((token) => token.tag);
  let firstModel: string | null = null;
  let models: string[] | null = null; // only for a task with two model tags or more
  let workflow: string | null = null;
  let hasError = !raw.sectionValid;
  let names: TaskNames | null = null; // most tasks have no name tag: allocated on the first

  for (const token of scan.tokens) {
    const kind = nameTagKind(token.tag);
    if (kind !== null) {
      token.remove = true;
      const { line, status } = raw;
      const diagnosticsHere = context.checkDependencies ? diagnostics : null;
      names ??= {
        name: null,
        after: NO_NAMES,
        hasError: false,
        line,
        status,
        diagnostics: diagnosticsHere,
      };
      readNames(names, kind, token.tag, descriptionColumn + token.start);
      continue;
    }
    const model = modelOfTag(token.tag);
    const selected = model === null ? workflowOfTag(token.tag, context.workflows) : null;
    token.remove = model !== null || selected !== null;
    const column = descriptionColumn + token.start;
    if (model !== null && !isModelName(model)) {
      hasError = true;
      diagnostics.push({
        rule: 'model-name',
        severity: 'error',
        line: raw.line,
        column,
        message: `Model \`${model}\` (tag \`${token.tag}\`) is not a model name: letters, digits and . _ : / @ + -, not starting with "-"`,
      });
    } else if (model !== null && firstModel === null) firstModel = model;
    else if (model !== null) (models ??= [firstModel ?? model]).push(model);
    if (selected === null) continue;
    if (context.checkWorkflows && !context.known.has(selected)) {
      hasError = true;
      diagnostics.push({
        rule: 'unknown-workflow',
        severity: 'error',
        line: raw.line,
        column,
        endLine: raw.line,
        endColumn: column + token.end - token.start,
        message: `Unknown workflow \`${selected}\` (tag \`${token.tag}\`); known: ${[...context.known].join(', ')}`,
        expected: [...context.known],
        actual: selected,
      });
    } else if (workflow !== null && workflow !== selected) {
      diagnostics.push({
        rule: 'multiple-workflows',
        severity: 'warning',
        line: raw.line,
        column,
        endLine: raw.line,
        endColumn: column + token.end - token.start,
        message: `Tag \`${token.tag}\` selects workflow \`${selected}\`, but \`${workflow}\` was selected first and wins`,
      });
    }
    workflow ??= selected;
  }
  const cleaned = removeTags(description, scan);
  const prompt = raw.details.length === 0 ? cleaned : withDetails(cleaned, raw.details);
  if (prompt === '' && (raw.status === 'pending' || raw.status === 'blocked')) {
    hasError = true;
    diagnostics.push({
      rule: 'empty-task',
      severity: 'error',
      line: raw.line,
      column: raw.column,
      message: 'Task has no description',
    });
  }
  // A prompt this big still runs (it goes by stdin), but it is rarely what was meant.
  if (prompt.length > LARGE_PROMPT_BYTES / 4 && utf8Length(prompt) > LARGE_PROMPT_BYTES) {
    diagnostics.push({
      rule: 'large-prompt',
      severity: 'warning',
      line: raw.line,
      column: raw.column,
      message: `The prompt of this task is ${utf8Length(prompt)} bytes, over 1 MiB`,
    });
  }
  const failed = raw.status === 'failed';
  return {
    line: raw.line,
    column: raw.column,
    text,
    section: raw.section,
    status: raw.status,
    manual: raw.manual,
    id: raw.id,
    commit: raw.hash,
    error: failed && trailing !== null ? withoutFailed(trailing) : null,
    note: failed ? null : trailing,
    description,
    prompt,
    details: raw.details,
    tags,
    model: models === null ? (firstModel ?? context.defaultModel) : pickModel(models, ''),
    modelTag: models === null ? firstModel : pickModel(models, ''),
    workflow: workflow ?? context.defaultWorkflow,
    name: names?.name ?? null,
    after: names?.after ?? NO_NAMES,
    hasError: hasError || names?.hasError === true,
    runnable: false,
    blockedBy: null,
    blockedReason: null,
  };
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
