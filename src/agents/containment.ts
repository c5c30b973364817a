import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The environment variable that marks every process an agent starts, whatever its session or group. */
export const RUN_TOKEN_VARIABLE = 'ADW_RUN_TOKEN';

const POLL_MS = 50;
const AFTER_KILL_MS = 2000;

/** A fresh token for one task run: 128 random bits, hex. */
export function newRunToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The pids of every live process whose environment carries `token` (Linux: /proc/PID/environ).
 * Processes of other users cannot be read and are not listed; on a system without /proc the
 * list is empty.
 */
export async function findRunProcesses(token: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`\0${RUN_TOKEN_VARIABLE}=${token}\0`);
  const first = Buffer.from(`${RUN_TOKEN_VARIABLE}=${token}\0`);
  // A zombie's environ is empty: it is not listed (it runs nothing and cannot be stopped).
  const own = String(process.pid);
  const found = await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name) && name !== own)
      .map(async (name) => {
        const environ = await readFile(`/proc/${name}/environ`).catch(() => null);
        if (environ === null) return null;
        const hit =
          environ.indexOf(needle) !== -1 || environ.subarray(0, first.length).equals(first);
        return hit ? Number(name) : null;
      }),
  );
  return found.filter((pid): pid is number => pid !== null);
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // ESRCH: gone already; EPERM: not ours to stop.
    }
  }
}

// A process in the middle of execve shows an empty environ for a moment: "none" is believed only
// when a second scan, a poll later, agrees.
async function settledScan(token: string): Promise<number[]> {
  const first = await findRunProcesses(token);
  if (first.length > 0) return first;
  await sleep(POLL_MS);
  return findRunProcesses(token);
}

async function waitNone(token: string, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = await settledScan(token);
    if (left.length === 0 || Date.now() >= deadline) return left;
    await sleep(POLL_MS);
  }
}

/**
 * Stops every process carrying the run's token, including those that left the agent's process
 * group or session (`setsid`, double fork): SIGTERM, then SIGKILL after `graceMs` for what is
 * left. Returns the pids that were found, and those still there at the end (stuck in the kernel,
 * or owned by another user).
 */
export async function stopRunProcesses(
  token: string,
  graceMs = 5000,
): Promise<{ found: number[]; left: number[] }> {
  const found = await settledScan(token);
  if (found.length === 0) return { found, left: [] };
  signalAll(found, 'SIGTERM');
  let left = await waitNone(token, graceMs);
  if (left.length > 0) {
    // Processes started during the grace period are caught here too.
    signalAll(left, 'SIGKILL');
    left = await waitNone(token, AFTER_KILL_MS);
    if (left.length > 0) signalAll(left, 'SIGKILL');
  }
  return { found, left };
}
