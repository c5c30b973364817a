import type { Task, TaskFile } from './types.js';

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
