import { randomBytes } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdwError } from '../errors.js';
import { errnoCode } from './errno.js';
import { isAlive, thisHost } from './processes.js';

/** What a lock file holds: who took it and when (`token` tells our own lock from a successor). */
export interface LockHolder {
  pid: number;
  host: string;
  acquiredAt: string;
  token?: string;
}

/** Options of withFileLock. */
export interface LockOptions {
  /** How long to wait for another holder before LOCK_TIMEOUT (default 10 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Short first waits: a holder keeps the lock for one read-modify-write (milliseconds), so a
// waiter should notice the release quickly; the cap keeps many waiters from spinning.
const FIRST_WAIT_MS = 5;
const MAX_WAIT_MS = 50;
// A lock file is created empty (O_EXCL) and then written. One that is still empty or unparsable
// after this long belongs to a holder that crashed between the two steps.
const UNPARSABLE_STALE_MS = 3_000;
// The break guard is held for the few system calls of one break. One older than this belongs to a
// breaker that died mid-break; it is removed so that the lock does not stay stuck forever.
const GUARD_STALE_MS = 2_000;

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (typeof value?.pid === 'number' && typeof value.host === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        acquiredAt: typeof value.acquiredAt === 'string' ? value.acquiredAt : 'an unknown time',
        ...(typeof value.token === 'string' ? { token: value.token } : {}),
      };
    }
  } catch {
    // Unparsable content is handled by the caller (empty file of a crashed holder).
  }
  return null;
}

interface LockState {
  ino: number;
  mtimeMs: number;
  holder: LockHolder | null;
}

// Reads the lock file and its identity; null when it no longer exists.
async function readLock(lockPath: string): Promise<LockState | null> {
  try {
    const info = await stat(lockPath);
    const text = await readFile(lockPath, 'utf8');
    return { ino: info.ino, mtimeMs: info.mtimeMs, holder: parseHolder(text) };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw error;
  }
}

// Stale = provably abandoned. Only a holder on this host can be checked (a pid on another host
// means nothing here), so a lock of another host is never broken: it times out with its holder
// named, and a person decides.
function isStale(state: LockState, now: number): boolean {
  if (state.holder === null) return now - state.mtimeMs > UNPARSABLE_STALE_MS;
  return state.holder.host === thisHost() && !isAlive(state.holder.pid);
}

/**
 * Removes a stale lock so that exactly one waiter breaks it. Two waiters can both see the same
 * stale lock; if both simply unlinked it, the second unlink could remove the fresh lock the first
 * one just created. So breaking happens under a guard file `<lock>.break` created with O_EXCL:
 * the guard holder re-reads the lock (another breaker may already have replaced it by a live
 * lock), re-checks that it is stale and is the same file (inode) it judged, and only then
 * unlinks it. Only breakers remove a stale lock, and breakers are serialised by the guard, so
 * the lock cannot change between the check and the unlink (except by its dead holder).
 */
async function breakStaleLock(lockPath: string, judged: LockState): Promise<boolean> {
  const guardPath = `${lockPath}.break`;
  let guard;
  try {
    guard = await open(guardPath, 'wx');
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw error;
    // Someone else is breaking it right now; the caller waits and looks again.
    await removeAbandonedGuard(guardPath);
    return false;
  }
  try {
    const current = await readLock(lockPath);
    if (current?.ino === judged.ino && isStale(current, Date.now())) {
      await unlink(lockPath).catch((error: unknown) => {
        if (errnoCode(error) !== 'ENOENT') throw error;
      });
    }
    return true;
  } finally {
    await guard.close();
    await unlink(guardPath).catch(() => undefined);
  }
}

// A guard left by a breaker that died mid-break would block every later break; it is removed
// once clearly older than any real break. (Two waiters removing the same dead guard at once is
// a crash inside a crash; the inode re-check above still protects the lock itself.)
async function removeAbandonedGuard(guardPath: string): Promise<void> {
  try {
    const info = await stat(guardPath);
    if (Date.now() - info.mtimeMs > GUARD_STALE_MS) await unlink(guardPath);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}

// One attempt to create the lock: O_EXCL makes creation atomic, so of all racing creators
// (threads, processes, daemons sharing a mount) exactly one succeeds.
async function tryCreate(lockPath: string, holder: LockHolder): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw new AdwError('WRITE_FAILED', `Cannot create lock file ${lockPath}: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await handle.writeFile(JSON.stringify(holder));
  } catch (error) {
    // An empty lock would block everyone for UNPARSABLE_STALE_MS: take it back at once.
    await handle.close();
    await unlink(lockPath).catch(() => undefined);
    throw new AdwError('WRITE_FAILED', `Cannot write lock file ${lockPath}: ${String(error)}`, {
      cause: error,
    });
  }
  await handle.close();
  return true;
}

// Releases only our own lock: if it was broken and re-taken by someone else (which only happens
// when we were wrongly judged dead), removing theirs would make things worse.
async function release(lockPath: string, token: string): Promise<void> {
  try {
    const text = await readFile(lockPath, 'utf8');
    if (parseHolder(text)?.token === token) await unlink(lockPath);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
}

function describeHolder(state: LockState): string {
  if (state.holder === null) {
    return `an unknown holder (the lock file is empty or unreadable, modified ${new Date(state.mtimeMs).toISOString()})`;
  }
  const { pid, host, acquiredAt } = state.holder;
  return `pid ${pid}@${host} since ${acquiredAt}`;
}

/**
 * Runs `fn` while holding the lock file `lockPath`, so that processes sharing a resource (two
 * daemons, a daemon and `adw-trigger retry`) never interleave their use of it. A file rather than
 * an in-process mutex because the other parties are other processes, possibly in other containers
 * sharing the mount. A holder that died on this host is broken; a live one is waited for, up to
 * `timeoutMs`. Not re-entrant: nesting on the same lock waits for itself and times out.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = randomBytes(8).toString('hex');
  const holder: LockHolder = {
    pid: process.pid,
    host: thisHost(),
    acquiredAt: new Date().toISOString(),
    token,
  };
  const deadline = Date.now() + timeoutMs;
  let wait = FIRST_WAIT_MS;
  for (;;) {
    holder.acquiredAt = new Date().toISOString();
    if (await tryCreate(lockPath, holder)) break;
    const state = await readLock(lockPath);
    if (state === null) continue; // released between our attempt and our look: try again now
    if (isStale(state, Date.now()) && (await breakStaleLock(lockPath, state))) continue;
    if (Date.now() >= deadline) {
      throw new AdwError(
        'LOCK_TIMEOUT',
        `Timed out after ${timeoutMs} ms waiting for lock ${lockPath}, held by ${describeHolder(state)}; ` +
          'if that process no longer exists, delete the lock file',
      );
    }
    // Jitter spreads waiters that all saw the same release, so they do not retry in lockstep.
    await sleep(Math.min(wait, Math.max(0, deadline - Date.now())) * (0.5 + Math.random() / 2));
    wait = Math.min(wait * 2, MAX_WAIT_MS);
  }
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}
