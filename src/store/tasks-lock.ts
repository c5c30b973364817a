import { withFileLock, type LockOptions } from '../system/file-lock.js';

/** `<path>.lock`: the lock file beside the tasks file. */
export function lockPathOf(path: string): string {
  return `${path}.lock`;
}

/**
 * Runs `fn` while holding `<path>.lock`, so that two daemons, or a daemon and `adw-trigger retry`,
 * never interleave their read-modify-write of tasks.md (see withFileLock).
 */
export function withTasksLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  return withFileLock(lockPathOf(path), fn, options);
}
