// The tasks.md model (SPEC §2): a pure function of a string, and splices of it.
export { branchNameProblem, isValidBranchName } from './branch-name.js';
export { formatDiagnostic, sortDiagnostics } from './diagnostic.js';
export { claimTask, claimTasks, completeTask, failTask, resetTask, restoreClaim } from './edit.js';
export { readMarker, type MarkerRead } from './marker.js';
export { parseTasks } from './parse.js';
export { sanitizeReason } from './reason.js';
export { modelOfTag } from './tags.js';
export { findTaskById, formatTaskId } from './task-id.js';
export type {
  Diagnostic,
  DiagnosticRule,
  EditResult,
  ParseOptions,
  Task,
  TaskFile,
  TaskStatus,
  WorkflowRef,
} from './types.js';
