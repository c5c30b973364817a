import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { openForWriting } from '../system/processes.js';
import { writeLeaseState, writersOf, writersOfPath } from '../system/write-lease.js';

/**
 * How long a file must have kept its size and mtime before it is read for a rewrite, where the
 * kernel cannot say whether a process is writing it (see writersOf). An editor saving in place
 * truncates, then writes in parts; a copy read between the parts is missing the end of the save,
 * and renaming an edit of it over the file would throw the end away.
 */
export const QUIET_MS = 100;
// An editor that never stops writing must not stall the daemon forever: past this, read anyway
// (the rewrite's own compare-and-swap and late-write check still guard it).
const MAX_WAIT_MS = 1_000;
// A save can pause longer than QUIET_MS between its writes (a loaded machine, a slow disk): while
// another process still holds the file open for writing, the save is not over; wait for its
// close, up to this bound (a process that never closes it must not stall the daemon forever).
const OPEN_WRITER_WAIT_MS = 5_000;
// How often a writer the kernel reports is asked about again, at the most: first after 1 ms, then
// 2, 4, 8 (most writers, an append, close the file within a millisecond; an editor writing a big
// save takes longer, and is asked about every 10 ms).
const WRITER_POLL_MS = 10;

function nextWriterPoll(wait: number): number {
  return Math.min(wait * 2, WRITER_POLL_MS);
}

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
 * Waits until no other process is writing `path`, and returns its state then, for `stillIn` after
 * the read: a save may start between the look and the read. Where the kernel can tell (a write
 * lease, see writersOf), that is at once when no process holds the file open for writing, else
 * as soon as the last writer closes it. Elsewhere it waits until the file has not changed for
 * `quietMs` (its size and mtime stay put) and no process this one can see holds it open for
 * writing. A state this process wrote itself is quiet at once. Null when there is nothing to
 * confirm: the file is missing (the caller reports it), or it kept changing past the bound.
 */
export async function waitUntilQuiet(path: string, quietMs = QUIET_MS): Promise<string | null> {
  const start = Date.now();
  let last: string | null = null;
  let writerSeen = false;
  let writerWait = 1;
  let look = null as { state: string; writing: Promise<boolean> } | null;
  for (;;) {
    const leased = await writersOfPath(path);
    if (leased === null) return null;
    const now = signature(leased.info);
    if (ownWrites.get(path) === now) return now;
    if (leased.writing === false) return now;
    if (leased.writing === true) writerSeen = true;
    const age = Date.now() - leased.info.mtimeMs;
    // Without a lease: the look for a writer runs while the state rests (a save's writer changes
    // the state as soon as it truncates or writes). A file left alone longer than the bound is no
    // save under way.
    if (leased.writing === null && age <= OPEN_WRITER_WAIT_MS && look?.state !== now) {
      look = { state: now, writing: openForWriting(path) };
    }
    const writing = look?.state === now ? look.writing : null;
    const rested = leased.writing === null && age >= quietMs && now === (last ?? now);
    if (rested) {
      if (writing === null || !(await writing)) return now;
      writerSeen = true;
      look = null; // the writer may close any moment: look again
    }
    if (Date.now() - start > (writerSeen ? OPEN_WRITER_WAIT_MS : MAX_WAIT_MS)) return null;
    last = now;
    if (leased.writing === true) {
      await sleep(writerWait);
      writerWait = nextWriterPoll(writerWait);
      continue;
    }
    const pause = Math.min(quietMs - age, quietMs);
    await sleep(rested ? quietMs / 2 : Math.max(WRITER_POLL_MS, pause));
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

/**
 * Waits while some process holds the file behind `fd` open for writing, as the kernel tells (see
 * writersOf), up to OPEN_WRITER_WAIT_MS: true once none does (or past the bound), null when the
 * kernel cannot tell here.
 */
export async function waitForWriters(fd: number): Promise<true | null> {
  const start = Date.now();
  for (let wait = 1; ; wait = nextWriterPoll(wait)) {
    const writing = writersOf(fd);
    if (writing === null) return null;
    if (!writing || Date.now() - start > OPEN_WRITER_WAIT_MS) return true;
    await sleep(wait);
  }
}

/**
 * How a finished save of the file at `path` is told from one under way, in words (`config` shows
 * it): the kernel's write lease, or the quiet window and why.
 */
export async function howSavesAreJudged(path: string): Promise<string> {
  const window = `a ${String(QUIET_MS)} ms quiet window before each rewrite`;
  const state = writeLeaseState();
  if (state === 'off') return `${window} (ADW_TRIGGER_WRITE_LEASE=off)`;
  if (state === 'not-linux') {
    return `${window} (the kernel's write lease is asked for on Linux only)`;
  }
  if (state === 'not-built') {
    return `${window}: the write-lease addon was not built (it needs a C compiler when adw-trigger is installed)`;
  }
  const asked = await writersOfPath(path);
  if (asked === null) return `the kernel's write lease on ${path}, once it exists`;
  if (asked.writing === null) {
    return `${window}: the kernel gives no lease on ${path} (a file of another user, or a network or FUSE filesystem)`;
  }
  return `the kernel's write lease on ${path}: a save is read once no process holds it open for writing`;
}
