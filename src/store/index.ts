export { hashText, readTasksFile, type TasksSnapshot } from './read-tasks-file.js';
export type { LockHolder, LockOptions } from '../system/file-lock.js';
export { howSavesAreJudged } from './quiet.js';
export { lockPathOf, withTasksLock } from './tasks-lock.js';
export {
  updateTasksFile,
  type TasksEdit,
  type UpdateOptions,
  type UpdateResult,
} from './update-tasks-file.js';
