import { realpath } from 'node:fs/promises';
import { AdwError } from '../errors.js';
import { replaceFileAtomically } from './atomic-write.js';
import { readTasksFile, snapshotOf, type TasksSnapshot } from './read-tasks-file.js';
import { withTasksLock } from './tasks-lock.js';

/** Options of updateTasksFile. */
export interface UpdateOptions {
  /** How long to wait for the lock (default 10 s). */
  lockTimeoutMs?: number;
}

/** The outcome of updateTasksFile: whether bytes were written, and the file as it now is. */
export interface UpdateResult {
  written: boolean;
  snapshot: TasksSnapshot;
}

/** Computes the new text from the current one; null (or the same text) leaves the file alone. */
export type TasksEdit = (text: string, snapshot: TasksSnapshot) => string | null;

/**
 * Read-modify-write of tasks.md under its lock. The file is re-read inside the lock because the
 * text the caller parsed may already be old (a person saved, another daemon claimed): `edit`
 * sees the current text and decides (a claim is a compare-and-swap on that text). The returned
 * snapshot carries the hash of the bytes written so that the watcher can recognise its own write.
 */
export async function updateTasksFile(
  path: string,
  edit: TasksEdit,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const lockOptions =
    options.lockTimeoutMs === undefined ? {} : { timeoutMs: options.lockTimeoutMs };
  return withTasksLock(
    path,
    async () => {
      const snapshot = await readTasksFile(path);
      if (snapshot.encodingError !== null) {
        // Writing back decoded text would replace the bad bytes by U+FFFD: refuse instead.
        throw new AdwError(
          'TASKS_FILE_NOT_UTF8',
          `${path}:${snapshot.encodingError.line}:${snapshot.encodingError.column} ${snapshot.encodingError.message}`,
        );
      }
      const text = edit(snapshot.text, snapshot);
      if (text === null || text === snapshot.text) return { written: false, snapshot };
      const data = Buffer.from((snapshot.bom ? '\uFEFF' : '') + text, 'utf8');
      // Write through a symlinked tasks.md to its target instead of replacing the link.
      await replaceFileAtomically(await realpath(path), data);
      return { written: true, snapshot: snapshotOf(path, data) };
    },
    lockOptions,
  );
}
