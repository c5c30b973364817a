import { isModelName } from './model-name.js';
import { modelOfTag, pickModel, removeTags, scanTags, workflowOfTag } from './tags.js';
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
 * `after:` names, prompt.
 */
export function resolveTaskLine(
  raw: TaskLine,
  context: TagContext,
  diagnostics: Diagnostic[],
): Task {
  const rest = raw.text.slice(raw.afterMarker);
  const { body, trailing } = splitTrailing(rest);
  const description = body.trim();
  const descriptionColumn = raw.afterMarker + body.length - body.trimStart().length + 1;
  const scan = scanTags(description);
  const tags: string[] = [];
  const resolving: boolean[] = [];
  const models: string[] = [];
  let workflow: string | null = null;
  let hasError = !raw.sectionValid;
  let names: TaskNames | null = null; // most tasks have no name tag: allocated on the first

  for (const token of scan.tokens) {
    tags.push(token.tag);
    const kind = nameTagKind(token.tag);
    if (kind !== null) {
      resolving.push(true);
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
    resolving.push(model !== null || selected !== null);
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
    } else if (model !== null) models.push(model);
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
  const cleaned = removeTags(description, scan, resolving);
  const prompt = raw.details.length === 0 ? cleaned : [cleaned, ...raw.details].join('\n').trim();
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
    text: raw.text,
    section: raw.section,
    status: raw.status,
    manual: raw.manual,
    id: raw.id,
    commit: raw.hash,
    error: failed && trailing !== null ? trailing.replace(/^Failed:\s*/, '') : null,
    note: failed ? null : trailing,
    description,
    prompt,
    details: raw.details,
    tags,
    model: pickModel(models, context.defaultModel),
    modelTag: models.length === 0 ? null : pickModel(models, ''),
    workflow: workflow ?? context.defaultWorkflow,
    name: names?.name ?? null,
    after: names?.after ?? NO_NAMES,
    hasError: hasError || names?.hasError === true,
    runnable: false,
    blockedBy: null,
    blockedReason: null,
  };
}
