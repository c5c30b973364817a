// The tasks.md model (SPEC §2): a pure function of a string, and splices of it.
export { branchNameProblem, isValidBranchName } from './branch-name.js';
export {
  claimTask,
  claimTasks,
  completeTask,
  failTask,
  resetTask,
  restoreClaim,
  setRecordedMarker,
  type RecordedMarker,
} from './edit.js';
export { conflictMarkerLines } from './conflict-markers.js';
export { formatDiagnostic, sortDiagnostics } from './diagnostic.js';
export { readMarker, type MarkerRead } from './marker.js';
export { parseTasks } from './parse.js';
export { planTaskWaves, type PlannedWaves } from './plan-waves.js';
export { blockedReason } from './runnable.js';
export { isTaskName, TASK_NAME_RULE } from './task-names.js';
export { sanitizeReason } from './reason.js';
export { modelOfTag } from './tags.js';
export { isModelName } from './model-name.js';
export { COMMIT_HASH, findTaskById, formatTaskId, TASK_ID, taskIdProblem } from './task-id.js';
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
export { bomLength, withoutBom } from './bom.js';
