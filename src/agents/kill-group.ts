import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode } from '../system/errno.js';
import { processIds, readStat } from '../system/processes.js';

const POLL_MS = 50;
/** How long we keep polling after SIGKILL before giving up on the group. */
const AFTER_KILL_MS = 1000;

// Reads /proc/PID/stat: the state and process group of each process (Linux only).
async function procMembers(pgid: number): Promise<{ pid: number; zombie: boolean }[] | null> {
  const pids = await processIds();
  if (pids === null) return null;
  const stats = await Promise.all(
    pids.map(async (name) => ({ pid: Number(name), fields: await readStat(name) })),
  );
  const members: { pid: number; zombie: boolean }[] = [];
  for (const { pid, fields } of stats) {
    if (fields === null) continue;
    if (Number(fields[2]) === pgid) members.push({ pid, zombie: fields[0] === 'Z' });
  }
  return members;
}

/**
 * True while some process of group `pgid` still runs. Zombies do not count: when PID 1 of a
 * container does not reap orphans, killed grandchildren stay zombies forever and
 * `kill(-pgid, 0)` keeps succeeding although nothing runs any more.
 */
export async function isGroupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    // EPERM means it exists but is not ours: still alive.
    return errnoCode(error) !== 'ESRCH';
  }
  const members = await procMembers(pgid);
  if (members === null) return true;
  return members.some((member) => !member.zombie);
}

// ESRCH: already gone. EPERM: not ours to stop; polling then ends at the SIGKILL deadline.
function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    return;
  }
}

async function waitGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!(await isGroupAlive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Stops every process of group `pgid`: SIGTERM, then SIGKILL after `graceMs` if anything is still
 * alive. Resolves once the group is gone, or ~1 s after SIGKILL (a process stuck in the kernel
 * cannot be waited for forever). Returns whether SIGKILL was needed.
 */
export async function killGroup(pgid: number, graceMs: number): Promise<{ forced: boolean }> {
  if (!(await isGroupAlive(pgid))) return { forced: false };
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(pgid, graceMs)) return { forced: false };
  signalGroup(pgid, 'SIGKILL');
  await waitGone(pgid, AFTER_KILL_MS);
  return { forced: true };
}
