import type { Stats } from 'node:fs';
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { AdwError } from '../errors.js';
import { formatDiagnostic } from '../tasks/diagnostic.js';
import { replaceFileAtomically } from './atomic-write.js';
import { readTasksFile, snapshotOf, type TasksSnapshot } from './read-tasks-file.js';
import {
  noteOwnWrite,
  QUIET_MS,
  stillIn,
  waitForWriters,
  waitUntilQuiet,
  waitWhileOpenForWriting,
} from './quiet.js';
import { withTasksLock } from './tasks-lock.js';

/** Options of updateTasksFile. */
export interface UpdateOptions {
  /** How long to wait for the lock (default 10 s). */
  lockTimeoutMs?: number;
  /** How long the file must have rested before it is read (default QUIET_MS; 0: no wait). */
  quietMs?: number;
}

/** The outcome of updateTasksFile: whether bytes were written, and the file as it now is. */
export interface UpdateResult {
  written: boolean;
  snapshot: TasksSnapshot;
}

/**
 * The new text, and work that must be done before it is put in place (the run records its
 * markers need): it goes on while the new file is written, and the rename waits for it. If it
 * rejects, nothing is replaced and the update fails with its reason.
 */
export interface EditWithWork {
  text: string;
  before: Promise<void>;
}

/**
 * Computes the new text from the current one; null (or the same text) leaves the file alone. It
 * may be async, or hand back work to finish before the rename (EditWithWork): it runs inside the
 * lock.
 */
export type TasksEdit = (
  text: string,
  snapshot: TasksSnapshot,
) => string | null | EditWithWork | Promise<string | null | EditWithWork>;

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
      for (let attempt = 1; ; attempt++) {
        const result = await editOnce(path, edit, options.quietMs ?? QUIET_MS);
        if (result !== 'changed-meanwhile') return result;
        if (attempt >= MAX_ATTEMPTS) {
          throw new AdwError(
            'WRITE_FAILED',
            `${path} kept changing while it was being updated (${MAX_ATTEMPTS} attempts); will try again`,
          );
        }
      }
    },
    lockOptions,
  );
}

const MAX_ATTEMPTS = 5;
const LATE_WRITE_GRACE_MS = 10;

/**
 * One read-edit-replace. The lock keeps other daemons and `retry` out, but a person's editor or
 * a script appending with `>>` takes no lock and may write between our read and our rename.
 * - The file is read once no process is writing it (see waitUntilQuiet), and it must still be
 *   in that state after the read.
 * - Right before the rename the file must still hold the bytes we read; if not, start over on
 *   the new bytes (`changed-meanwhile`), or, when they only grew, place our edit before what was
 *   appended. Grown bytes may be the first part of a save that is still being written: after the
 *   rename, a writer still holding the replaced file is waited for, and what it wrote is taken.
 * - A writer that opened the old file just before the rename writes into the file we replaced.
 *   We keep that file open and, once no process holds it open for writing, splice whatever was
 *   appended to it into the new file, right after our bytes, before the appends that already
 *   reached the new file.
 * Where the kernel tells who holds a file open for writing (a write lease: Linux, a local file
 * of this user), that covers every writer on this machine. Elsewhere the replaced file is looked
 * at once more after a short grace and, when it changed or its bytes were not judged quiet,
 * waited for while a process this one can see holds it open for writing (up to 5 s). What
 * remains there is a writer that opened the old file without changing it and writes only after
 * the grace, or one this process cannot see: only a lock that the editor honours could close
 * those.
 */
async function editOnce(
  path: string,
  edit: TasksEdit,
  quietMs: number,
): Promise<UpdateResult | 'changed-meanwhile'> {
  const target = await realpath(path).catch(() => path);
  // A save still under way (size or mtime moving) is never read for a rewrite: wait it out. One
  // that began after the file was judged quiet changed it before or during the read: again.
  const quiet = quietMs > 0 ? await waitUntilQuiet(target, quietMs) : null;
  const snapshot = await readTasksFile(path);
  if (!(await stillIn(target, quiet))) return 'changed-meanwhile';
  if (snapshot.encodingError !== null) {
    // Writing back decoded text would replace the bad bytes by U+FFFD: refuse instead.
    throw new AdwError('TASKS_FILE_NOT_UTF8', formatDiagnostic(path, snapshot.encodingError));
  }
  const edited = await edit(snapshot.text, snapshot);
  const { text, before } =
    edited === null || typeof edited === 'string' ? { text: edited, before: null } : edited;
  // Awaited before the rename (its failure fails the update): handled from now on.
  before?.catch(() => undefined);
  if (text === null || text === snapshot.text) {
    await before;
    return { written: false, snapshot };
  }
  const bom = snapshot.bom ? '\uFEFF' : '';
  let expected: Buffer = Buffer.from(bom + snapshot.text, 'utf8');
  let data: Buffer = Buffer.from(bom + text, 'utf8');
  // What we last put in place, and bytes a late writer put into a file we replaced: those must
  // reach the file before we let go, or they would be lost with the replaced file.
  let written: Buffer | null = null;
  let late: Buffer = Buffer.alloc(0);
  // Each round either finishes or places late bytes; only a file that keeps changing under the
  // check counts against the limit, and we never give up while late bytes are not yet placed.
  // Bytes not known to be quiet may be the first part of a save still being written (truncate,
  // write a part that starts like the old file, pause): after the rename, the rest of it would go
  // into the replaced file. Only the first round replaces bytes judged quiet.
  let confirmed = quiet !== null;
  for (let changed = 0; changed < MAX_ATTEMPTS || late.length > 0; confirmed = false) {
    const result = await replaceWatchingLateWrites(target, expected, data, confirmed, before);
    if (result === 'rewritten') return 'changed-meanwhile';
    if (result === 'changed') changed++;
    else {
      written = data;
      late = result.late;
      if (late.length === 0) {
        noteOwnWrite(target, result.state);
        return { written: true, snapshot: snapshotOf(path, data) };
      }
    }
    if (written === null) {
      // Only appended to since we read it (`>>`, another line typed at the end): our edit still
      // holds; place it with the appended bytes after it instead of editing all over again.
      const current = await readFile(target);
      if (!current.subarray(0, expected.length).equals(expected)) return 'changed-meanwhile';
      data = Buffer.concat([data, current.subarray(expected.length)]);
      expected = current;
      continue;
    }
    // Our bytes, then what was appended to the old file, then what reached the new one.
    const current = await readFile(target);
    expected = current;
    data = current.subarray(0, written.length).equals(written)
      ? Buffer.concat([written, late, current.subarray(written.length)])
      : Buffer.concat([current, late]);
  }
  throw new AdwError(
    'WRITE_FAILED',
    `${path} kept changing while it was being updated; will try again`,
  );
}

/**
 * Replaces `target` (which must hold `expected`) by `data`. Returns 'changed' when it no longer
 * held `expected` (nothing replaced), 'rewritten' when the replaced file was rewritten in place
 * meanwhile (its bytes are put back to be edited again), else the bytes a late writer appended
 * to the replaced file (often none) and the state of the file put in place, as written. Unless
 * `expected` was `confirmed` quiet (no writer held it after its last change), a writer still
 * holding the replaced file is waited for, as if it had changed it. `before` (the edit's work) is
 * waited for right before the last look and the rename.
 */
async function replaceWatchingLateWrites(
  target: string,
  expected: Buffer,
  data: Buffer,
  confirmed: boolean,
  before: Promise<void> | null,
): Promise<{ late: Buffer; state: Stats } | 'changed' | 'rewritten'> {
  // Held open across the rename: it still reads the replaced file afterwards.
  const original = await open(target, 'r');
  try {
    const current = await original.stat();
    // The edit's own work first (written while the new file was), then the last look.
    const unchanged = async (): Promise<boolean> => {
      await before;
      // The name still leads to the file we hold, and it still holds exactly `expected`: asked
      // together, answered before the rename either way.
      const [named, holding] = await Promise.all([stat(target), holds(original, expected)]);
      return named.ino === current.ino && holding;
    };
    const state = await replaceFileAtomically(target, data, unchanged, current);
    if (state === null) return 'changed';
    // No name leads to the replaced file any more: no writer can open it anew. Where the kernel
    // tells who holds it open for writing, it is final once they closed it: read it then.
    if ((await waitForWriters(original.fd)) === null) {
      // Elsewhere: an append opens the file, then writes; give a writer that opened the old file
      // a moment.
      await new Promise((resolve) => setTimeout(resolve, LATE_WRITE_GRACE_MS));
      const seen = await readWhole(original);
      if (confirmed && seen.equals(expected)) return { late: Buffer.alloc(0), state };
      // Written to since (or maybe being written): a writer opened it before the rename, and may
      // be in the middle of its save (an editor truncates, then writes in parts). Let it finish,
      // then read what it wrote: read again even when no writer was found, since one may have
      // written its last part and closed the file between the look above and the search.
      await waitWhileOpenForWriting(`${target} (deleted)`);
    }
    const replaced = await readWhole(original);
    if (replaced.subarray(0, expected.length).equals(expected))
      return { late: replaced.subarray(expected.length), state };
    // Rewritten in place (an editor saving into the same file): the newest words are the
    // person's; put them back and edit them again.
    await replaceFileAtomically(target, replaced);
    return 'rewritten';
  } finally {
    await original.close();
  }
}

// True when the file behind `handle` holds exactly `bytes`: one read from its start, of one byte
// more than them (a longer file gives it).
async function holds(handle: FileHandle, bytes: Buffer): Promise<boolean> {
  const buffer = Buffer.alloc(bytes.length + 1);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  return bytesRead === bytes.length && buffer.subarray(0, bytesRead).equals(bytes);
}

// The whole file behind `handle`, read from its start (FileHandle.readFile reads on from where the
// last read ended).
async function readWhole(handle: FileHandle): Promise<Buffer> {
  const { size } = await handle.stat();
  const buffer = Buffer.alloc(size);
  const { bytesRead } = await handle.read(buffer, 0, size, 0);
  return buffer.subarray(0, bytesRead);
}
