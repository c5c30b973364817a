import type { Diagnostic } from './diagnostic.js';

export type { Diagnostic, DiagnosticRule } from './diagnostic.js';

/** The five states a task line can be in (SPEC §2.1); `[x]` is `done` with `manual: true`. */
export type TaskStatus = 'pending' | 'blocked' | 'in_progress' | 'done' | 'failed';

/** One task line of tasks.md, as parsed. */
export interface Task {
  /** 1-based line of the marker. */
  line: number;
  /** 1-based column of the marker's `[`. */
  column: number;
  /** The exact text of the line, without its line ending (BOM excluded on line 1). */
  text: string;
  section: string;
  status: TaskStatus;
  /** `[x]` / `[X]`: done by hand, never run. */
  manual: boolean;
  id: string | null;
  commit: string | null;
  /** The error of a failed line (text after the last ` // `). */
  error: string | null;
  /** A trailing ` // text` on a line that is not failed. */
  note: string | null;
  /** The text after the marker, without the trailing ` // …` note or error. */
  description: string;
  /** What the agent receives: description without model/workflow tags, plus the details lines. */
  prompt: string;
  /** Lines following the task line in the same paragraph or list item. */
  details: string[];
  /** Every tag in the description, in order: `#word` and each item of `{a, b}` groups. */
  tags: string[];
  /** The task's model tag, or the configured default: use resolveModel for the model that runs. */
  model: string;
  /** The model the task's own tags name (`opus`, `model:NAME`), or null when it has none. */
  modelTag: string | null;
  workflow: string;
  /** The task's `name:NAME` tag (the first one), or null. */
  name: string | null;
  /** The names of its `after:` tags, in order: it waits until every task so named is done. */
  after: readonly string[];
  /** True when an error diagnostic concerns this task (or its section): never run, never changed. */
  hasError: boolean;
  runnable: boolean;
  /**
   * For a pending or blocked task that waits: the line of the task that keeps it waiting (for
   * `[⏰]` the first unfinished task above it in its section, else the first unfinished task one
   * of its `after:` names), or null.
   */
  blockedBy: number | null;
  /**
   * The `after:` name through which `blockedBy` keeps it waiting; null when the task above it in
   * its section does (`[⏰]`) or nothing does. In words: blockedReason().
   */
  blockedVia: string | null;
}

/** A workflow as far as the parser needs it: its name and the tags that select it. */
export interface WorkflowRef {
  name: string;
  tags: readonly string[];
}

/** What the parser needs to resolve defaults (SPEC §2.2, §2.3). */
export interface ParseOptions {
  defaultSection: string;
  defaultModel: string;
  defaultWorkflow: string;
  /** Known workflows; a `workflow:NAME` tag naming none of them is `unknown-workflow`. */
  workflows: readonly WorkflowRef[];
}

/** The whole file, parsed. */
export interface TaskFile {
  tasks: Task[];
  diagnostics: Diagnostic[];
}

/** The result of an edit: the new text, or why the line was not in the expected state. */
export type EditResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'not-found' | 'changed' | 'wrong-state'; message: string };
