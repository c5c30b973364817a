import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { errnoCode } from './errno.js';

/** This machine's name, as recorded in run, daemon and lock records: a pid means something only here. */
export function thisHost(): string {
  return hostname();
}

/** True when a process with this pid exists on this host (EPERM: it exists but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** The fields of `/proc/PID/stat` after the command name: [0] state, [2] pgid, [19] start time. */
export function statFields(stat: string): string[] {
  // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The fields of one process's `/proc/PID/stat` (see statFields), or null where it cannot be read. */
export async function readStat(pid: number | string): Promise<string[] | null> {
  try {
    return statFields(await readFile(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The kernel's start time of a process (clock ticks since boot, /proc/PID/stat field 22), or null
 * where /proc is not there. Recorded with an agent's pid so that recovery never signals a
 * different process that got the same pid after a reboot or wrap-around.
 */
export async function processStartTime(pid: number): Promise<string | null> {
  return (await readStat(pid))?.[19] ?? null;
}
