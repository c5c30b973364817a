import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { openForWriting } from '../system/processes.js';

/**
 * How long a file must have kept its size and mtime before it is read for a rewrite. An editor
 * saving in place truncates, then writes in parts; a copy read between the parts is missing the
 * end of the save, and renaming an edit of it over the file would throw the end away.
 */
export const QUIET_MS = 100;
// An editor that never stops writing must not stall the daemon forever: past this, read anyway
// (the rewrite's own compare-and-swap and late-write check still guard it).
const MAX_WAIT_MS = 1_000;
// A save can pause longer than QUIET_MS between its writes (a loaded machine, a slow disk): while
// another process still holds the file open for writing, the save is not over; wait for its
// close, up to this bound (a process that never closes it must not stall the daemon forever).
const OPEN_WRITER_WAIT_MS = 5_000;

/** What identifies one written state of a file: what a moving writer changes. */
type FileState = Pick<Stats, 'ino' | 'size' | 'mtimeMs'>;

function signature(info: FileState): string {
  return `${String(info.ino)}:${String(info.size)}:${String(info.mtimeMs)}`;
}

// The signature of each file as this process last wrote it: our own fresh write is quiet.
const ownWrites = new Map<string, string>();

/**
 * Remembers the state this process gave `path` (the new file's state as written, not a later
 * look: another writer may have opened the file it put in place and truncated it since).
 */
export function noteOwnWrite(path: string, written: FileState): void {
  ownWrites.set(path, signature(written));
}

/**
 * Waits until `path` has not changed for `quietMs` (its size and mtime stay put) and no other
 * process holds it open for writing, or until it is a state this process wrote itself. Returns
 * that state, for `stillIn` after the read: a save may start while the look for a writer runs, or
 * between the wait and the read. Null when there is nothing to confirm: the file is missing (the
 * caller reports it), or it kept changing past the bound.
 */
export async function waitUntilQuiet(path: string, quietMs = QUIET_MS): Promise<string | null> {
  const start = Date.now();
  let last: string | null = null;
  let writerSeen = false;
  let look = null as { state: string; writing: Promise<boolean> } | null;
  for (;;) {
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    const now = signature(info);
    if (ownWrites.get(path) === now) return now;
    const age = Date.now() - info.mtimeMs;
    // The look for a writer runs while the state rests: a save's writer changes the state as soon
    // as it truncates or writes. A file left alone longer than the bound is no save under way.
    if (age <= OPEN_WRITER_WAIT_MS && look?.state !== now) {
      look = { state: now, writing: openForWriting(path) };
    }
    const writing = look?.state === now ? look.writing : null;
    const rested = age >= quietMs && now === (last ?? now);
    if (rested) {
      if (writing === null || !(await writing)) return now;
      writerSeen = true;
      look = null; // the writer may close any moment: look again
    }
    if (Date.now() - start > (writerSeen ? OPEN_WRITER_WAIT_MS : MAX_WAIT_MS)) return null;
    last = now;
    await sleep(rested ? quietMs / 2 : Math.max(10, Math.min(quietMs - age, quietMs)));
  }
}

/** True when `path` is still in `state` (from waitUntilQuiet; null: nothing to confirm). */
export async function stillIn(path: string, state: string | null): Promise<boolean> {
  if (state === null) return true;
  try {
    return signature(await stat(path)) === state;
  } catch {
    return false;
  }
}

/**
 * Waits while some process holds `path` open for writing, up to OPEN_WRITER_WAIT_MS; true when one
 * did. For a file this process replaced, `path` is its name with ` (deleted)` after it, as Linux
 * shows a file that no name leads to any more.
 */
export async function waitWhileOpenForWriting(path: string): Promise<boolean> {
  const start = Date.now();
  let seen = false;
  while ((await openForWriting(path)) && Date.now() - start <= OPEN_WRITER_WAIT_MS) {
    seen = true;
    await sleep(QUIET_MS / 2);
  }
  return seen;
}
