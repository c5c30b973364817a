/**
 * Every rule a tasks.md diagnostic can name. `merge-conflict` (conflict markers left in the file)
 * and `model-name` (a model tag that names no model) are reported by their own readers;
 * `unknown-commit` (a ✅ hash that is no commit of the repository) only by `check`, which can ask git.
 * The four dependency rules (`invalid-task-name`, `duplicate-name`, `unknown-dependency`,
 * `dependency-cycle`) are errors that keep a pending or blocked task from starting.
 */
export type DiagnosticRule =
  | 'unknown-marker'
  | 'malformed-hash'
  | 'duplicate-id'
  | 'empty-task'
  | 'unknown-workflow'
  | 'multiple-workflows'
  | 'invalid-section-name'
  | 'invalid-utf8'
  | 'merge-conflict'
  | 'model-name'
  | 'large-prompt'
  | 'unknown-commit'
  | 'invalid-task-name'
  | 'duplicate-name'
  | 'unknown-dependency'
  | 'dependency-cycle';

/**
 * A problem in tasks.md, like vfile-message: never thrown, always reported with its place. Line
 * and column are 1-based; the end (exclusive) is there when known. The message never repeats the
 * place; `expected` and `actual` carry what the rule wanted and what the file has.
 */
export interface Diagnostic {
  rule: DiagnosticRule;
  severity: 'error' | 'warning';
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  expected?: readonly string[];
  actual?: string;
}

/**
 * One diagnostic as `FILE:LINE:COL severity rule message` (SPEC §6, the shape of a compiler's
 * messages): the one line that `check`, `status`, the daemon's log and the store print.
 */
export function formatDiagnostic(file: string, diagnostic: Diagnostic): string {
  const { line, column, severity, rule, message } = diagnostic;
  return `${file}:${line}:${column} ${severity} ${rule} ${message}`;
}

/** Diagnostics in the order of their place in the file. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}
