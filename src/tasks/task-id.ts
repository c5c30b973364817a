import type { Task, TaskFile } from './types.js';

/** What a task ID in a marker is made of (new IDs are 8 lowercase hex characters). */
export const TASK_ID = /^[A-Za-z0-9_-]+$/;

/** A commit hash in a `[✅ HASH, ID]` marker: 4 to 40 hex characters. */
export const COMMIT_HASH = /^[0-9a-fA-F]{4,40}$/;

/** Why `id` (typed by a person, or in a URL) cannot be a task ID; null when it can. */
export function taskIdProblem(id: string, maxLength = Infinity): string | null {
  return TASK_ID.test(id) && id.length <= maxLength
    ? null
    : `Expected a task ID such as 1a2b3c4d, got \`${id}\``;
}

/** The 8 lowercase hex characters of a new task ID, from (at least 4) random bytes. */
export function formatTaskId(bytes: Uint8Array): string {
  if (bytes.length < 4)
    throw new RangeError(`Expected at least 4 random bytes, got ${bytes.length}`);
  return Array.from(bytes.subarray(0, 4), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The first task carrying `id` (a later duplicate has an error diagnostic), if any. */
export function findTaskById(file: TaskFile, id: string): Task | undefined {
  return file.tasks.find((task) => task.id === id);
}
