import { stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a file someone else wrote must have kept its mtime before its state counts as settled.
 * An editor saving in place truncates, then writes in parts; a copy read between the parts is
 * missing the end of the save. Such a copy may still be read and edited at once (no wait before
 * the read); what the save goes on writing is caught afterwards (see waitUntilRested).
 */
export const QUIET_MS = 100;
// An editor that never stops writing must not stall the daemon forever: past this, look anyway
// (the rewrite's own compare-and-swap and late-write check still guard it).
const MAX_WAIT_MS = 1_000;

// The identity of one written state of the file: what a moving writer changes.
function signature(info: { ino: number; size: number; mtimeMs: number }): string {
  return `${String(info.ino)}:${String(info.size)}:${String(info.mtimeMs)}`;
}

// The signature of each file as this process last wrote it: our own fresh write is settled.
const ownWrites = new Map<string, string>();

/** Remembers the state of `path` right after this process replaced it. */
export async function noteOwnWrite(path: string): Promise<void> {
  try {
    ownWrites.set(path, signature(await stat(path)));
  } catch {
    ownWrites.delete(path);
  }
}

/**
 * True when `path` as it is now cannot be a save still under way: this process wrote it last, or
 * its mtime is at least `quietMs` old. A missing file counts as settled: the caller reports it.
 */
export async function isSettled(path: string, quietMs = QUIET_MS): Promise<boolean> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return true;
  }
  return ownWrites.get(path) === signature(info) || Date.now() - info.mtimeMs >= quietMs;
}

/**
 * Waits until the file open as `handle` has kept its mtime for `quietMs` (at most about a
 * second). Used on the file just replaced by a rename: a writer that still holds it open (an
 * editor saving in place) writes into it, and what it wrote is looked at once it rests.
 */
export async function waitUntilRested(handle: FileHandle, quietMs = QUIET_MS): Promise<void> {
  const start = Date.now();
  for (;;) {
    const age = Date.now() - (await handle.stat()).mtimeMs;
    if (age >= quietMs || Date.now() - start > MAX_WAIT_MS) return;
    await sleep(Math.max(5, Math.min(quietMs - age, quietMs)));
  }
}
