/** Every way the program itself can fail (as opposed to a task failing, which is an outcome). */
export type AdwErrorCode =
  | 'USAGE'
  | 'CONFIG_INVALID'
  | 'CONFIG_UNREADABLE'
  | 'NOT_A_REPO'
  | 'TASKS_FILE_MISSING'
  | 'TASKS_FILE_UNREADABLE'
  | 'TASKS_FILE_NOT_UTF8'
  | 'LOCK_TIMEOUT'
  | 'WRITE_FAILED'
  | 'GIT_FAILED'
  | 'WORKTREE_FAILED'
  | 'WORKFLOW_INVALID'
  | 'TASK_NOT_FOUND'
  | 'TASK_STATE'
  /** What `start` needs from the machine is missing: the agent, a commit, the base ref. */
  | 'PREFLIGHT'
  | 'LAND_UNAVAILABLE'
  /** Another coordinator holds the fleet queue's lease. */
  | 'QUEUE_TAKEN';

// The one error class of the program: a code that callers switch on, a message for people.
export class AdwError extends Error {
  override readonly name = 'AdwError';
  constructor(
    readonly code: AdwErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is an AdwError, optionally with the given code. */
export function isAdwError(error: unknown, code?: AdwErrorCode): error is AdwError {
  return error instanceof AdwError && (code === undefined || error.code === code);
}
