import type { LinesBlock } from './blocks.js';
import { conflictDiagnostics } from './conflict-markers.js';
import { sortDiagnostics } from './diagnostic.js';
import { checkDependencies } from './dependencies.js';
import { readBlocks } from './fast-blocks.js';
import { skipBlanks, splitLines, trimmedSlice, type LineTable } from './lines.js';
import { readMarkerAt } from './marker.js';
import { remarkBlocks } from './remark-blocks.js';
import { resolveRunnable } from './runnable.js';
import { readSectionHeading, type SectionStart } from './sections.js';
import { createTask, resolveTaskLine, type TagContext } from './task-line.js';
import { NameIndex } from './name-index.js';
import type { Diagnostic, ParseOptions, Task, TaskFile } from './types.js';
import { withoutBom } from './bom.js';

/** How the structure is read: remark always, or line by line with remark for the regions that need it. */
export type ParseEngine = 'auto' | 'remark';

/** Parsing knobs that are not part of the public contract. */
export interface ParseSettings {
  engine: ParseEngine;
  /** False for edits: a workflow unknown to this caller does not stop a line being changed. */
  checkWorkflows: boolean;
  /** False for edits: dependency problems (names, `after:`, cycles) never stop a line being changed. */
  checkDependencies: boolean;
}

const BUILT_IN_WORKFLOWS = ['build', 'plan-implement'];
const DEFAULT_SETTINGS: ParseSettings = {
  engine: 'auto',
  checkWorkflows: true,
  checkDependencies: true,
};

/** Parses tasks.md (SPEC §2) into tasks and diagnostics. Never throws. */
export function parseTasks(source: string, options: ParseOptions): TaskFile {
  return parseTasksWith(source, options, DEFAULT_SETTINGS);
}

/** parseTasks with explicit settings (the edits and the engine tests use it). */
export function parseTasksWith(
  source: string,
  options: ParseOptions,
  settings: ParseSettings,
): TaskFile {
  const text = withoutBom(source);
  const lines = splitLines(text);
  const blocks = settings.engine === 'auto' ? readBlocks(text, lines).blocks : remarkBlocks(text);
  const diagnostics: Diagnostic[] = [];
  const sections: SectionStart[] = [];
  const known = options.workflows.map((workflow) => workflow.name);
  const context: TagContext = {
    defaultModel: options.defaultModel,
    defaultWorkflow: options.defaultWorkflow,
    workflows: options.workflows,
    known: new Set(known.length === 0 ? BUILT_IN_WORKFLOWS : known),
    checkWorkflows: settings.checkWorkflows,
    checkDependencies: settings.checkDependencies,
  };
  const tasks: Task[] = [];
  for (let index = 0; index < blocks.length; index += 1) {
    const block = blocks[index];
    if (block === undefined) continue;
    if (block.kind === 'lines') {
      readLines(text, lines, block, context, tasks, diagnostics);
    } else {
      const section = readSectionHeading(block, diagnostics);
      if (section !== null) sections.push(section);
    }
  }
  // In line order already unless remark read a list item's paragraphs before its nested items.
  if (!inLineOrder(tasks)) tasks.sort((a, b) => a.line - b.line);
  assignSections(tasks, sections, options.defaultSection);
  markDuplicateIds(tasks, diagnostics);
  const names = NameIndex.of(tasks);
  if (settings.checkDependencies) checkDependencies(tasks, names, diagnostics);
  const conflicts = conflictDiagnostics(text);
  diagnostics.push(...conflicts);
  // A file in conflict shows two versions of its lines: no task in it is to be run or changed.
  if (conflicts.length > 0) for (const task of tasks) task.hasError = true;
  sortDiagnostics(diagnostics);
  return { tasks: resolveRunnable(tasks, names), diagnostics };
}

// Each task is made at its marker and resolved as soon as its last detail line is read.
function readLines(
  text: string,
  lines: LineTable,
  block: LinesBlock,
  context: TagContext,
  tasks: Task[],
  diagnostics: Diagnostic[],
): void {
  let current: Task | null = null;
  let afterMarker = 0;
  const { paragraphs } = block;
  for (let index = 0; index < paragraphs.length; index += 1) {
    const paragraph = paragraphs[index];
    if (paragraph === undefined) continue;
    for (let line = paragraph.fromLine; line <= paragraph.toLine; line += 1) {
      const start = lines.starts[line - 1] ?? 0;
      const end = lines.ends[line - 1] ?? 0;
      const content = line === paragraph.fromLine ? paragraph.first : skipBlanks(text, start, end);
      // Most lines are no marker: read in place, sliced only when kept.
      const marker = readMarkerAt(text, content, end);
      const column = content - start + 1;
      if (marker.kind !== 'none' && current !== null) {
        resolveTaskLine(current, afterMarker, context, diagnostics);
        current = null;
      }
      if (marker.kind === 'marker') {
        current = createTask(line, column, text.slice(start, end), marker);
        afterMarker = content - start + marker.length;
        tasks.push(current);
      } else if (marker.kind === 'problem') {
        const { rule, message, expected, actual } = marker;
        diagnostics.push({
          rule,
          severity: 'error',
          line,
          column,
          endLine: line,
          endColumn: column + marker.length,
          message,
          expected,
          actual,
        });
      } else if (current !== null) {
        const detail = trimmedSlice(text, start, end);
        // Most tasks have no details or one: a list sized for one, grown only when needed.
        if (current.details.length === 0) current.details = [detail];
        else current.details.push(detail);
      }
    }
  }
  if (current !== null) resolveTaskLine(current, afterMarker, context, diagnostics);
}

function inLineOrder(tasks: readonly Task[]): boolean {
  for (let index = 1; index < tasks.length; index += 1)
    if ((tasks[index - 1]?.line ?? 0) > (tasks[index]?.line ?? 0)) return false;
  return true;
}

// A task in a section whose name is no branch name has an error: it never runs.
function assignSections(tasks: Task[], sections: SectionStart[], defaultSection: string): void {
  sections.sort((a, b) => a.line - b.line);
  let next = 0;
  let section: SectionStart = { line: 0, name: defaultSection, valid: true };
  for (const task of tasks) {
    while (next < sections.length && (sections[next]?.line ?? Infinity) < task.line) {
      section = sections[next] ?? section;
      next += 1;
    }
    task.section = section.name;
    if (!section.valid) task.hasError = true;
  }
}

function markDuplicateIds(tasks: Task[], diagnostics: Diagnostic[]): void {
  const firstLine = new Map<string, number>();
  for (const task of tasks) {
    if (task.id === null) continue;
    const first = firstLine.get(task.id);
    if (first === undefined) {
      firstLine.set(task.id, task.line);
      continue;
    }
    task.hasError = true;
    diagnostics.push({
      rule: 'duplicate-id',
      severity: 'error',
      line: task.line,
      column: task.column,
      message: `ID ${task.id} is already used on line ${first}`,
      actual: task.id,
    });
  }
}
