export { hashText, readTasksFile, type TasksSnapshot } from './read-tasks-file.js';
export { lockPathOf, withTasksLock, type LockHolder, type LockOptions } from './tasks-lock.js';
export {
  updateTasksFile,
  type TasksEdit,
  type UpdateOptions,
  type UpdateResult,
} from './update-tasks-file.js';
