import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { processIds, readStat } from '../system/processes.js';

/** The environment variable that marks every process an agent starts, whatever its session or group. */
export const RUN_TOKEN_VARIABLE = 'ADW_RUN_TOKEN';

const POLL_MS = 50;
/** How long a process seen in the middle of execve is waited for, and how often it is looked at. */
const SETTLE_MS = 1000;
const EXECVE_POLL_MS = 2;
// The kernel thread flag of /proc/PID/stat's flags field.
const PF_KTHREAD = 0x00200000;
const AFTER_KILL_MS = 2000;

/** A fresh token for one task run: 128 random bits, hex. */
export function newRunToken(): string {
  return randomBytes(16).toString('hex');
}

/** What one look at /proc found: the run's processes, and how many were caught in execve. */
interface Scan {
  found: number[];
  unsettled: number;
}

/**
 * The pids of every live process whose environment carries `token` (Linux: /proc/PID/environ).
 * Processes of other users cannot be read and are not listed; on a system without /proc the
 * list is empty.
 */
export async function findRunProcesses(token: string): Promise<number[]> {
  return (await scanProcesses(token)).found;
}

async function scanProcesses(token: string): Promise<Scan> {
  const pids = await processIds();
  if (pids === null) return { found: [], unsettled: 0 };
  const needle = Buffer.from(`\0${RUN_TOKEN_VARIABLE}=${token}\0`);
  const first = Buffer.from(`${RUN_TOKEN_VARIABLE}=${token}\0`);
  // A zombie's environ is empty: it is not listed (it runs nothing and cannot be stopped).
  const own = String(process.pid);
  const seen = await Promise.all(
    pids
      .filter((name) => name !== own)
      .map(async (name) => {
        const environ = await readFile(`/proc/${name}/environ`).catch(() => null);
        if (environ === null) return null;
        if (environ.length === 0) return (await inExecve(name)) ? 'unsettled' : null;
        const hit =
          environ.indexOf(needle) !== -1 || environ.subarray(0, first.length).equals(first);
        return hit ? Number(name) : null;
      }),
  );
  return {
    found: seen.filter((pid): pid is number => typeof pid === 'number'),
    unsettled: seen.filter((pid) => pid === 'unsettled').length,
  };
}

// In the middle of execve a process has its new memory but neither arguments nor environment
// yet: both read empty for a moment. Zombies and kernel threads read empty too, and stay so.
async function inExecve(name: string): Promise<boolean> {
  const [cmdline, stat] = await Promise.all([
    readFile(`/proc/${name}/cmdline`).catch(() => null),
    readStat(name),
  ]);
  if (cmdline === null || cmdline.length > 0 || stat === null) return false;
  const kernelThread = (Number(stat[6]) & PF_KTHREAD) !== 0;
  return !kernelThread && stat[0] !== 'Z' && stat[0] !== 'X';
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

// "None" is believed only when two listings in a row find none and catch no process in the
// middle of execve (its environment reads empty for a moment: it is looked at again until it
// can be read, up to SETTLE_MS). A process forked just as its parent exited is missing from the
// listing its parent was in; the second listing has it.
async function settledScan(token: string): Promise<number[]> {
  const deadline = Date.now() + SETTLE_MS;
  let clean = 0;
  for (;;) {
    const { found, unsettled } = await scanProcesses(token);
    if (found.length > 0) return found;
    const waiting = unsettled > 0 && Date.now() < deadline;
    clean = waiting ? 0 : clean + 1;
    if (clean === 2) return [];
    if (waiting) await sleep(EXECVE_POLL_MS);
  }
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
