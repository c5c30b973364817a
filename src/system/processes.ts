import { readdir, readFile, readlink } from 'node:fs/promises';
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

/** The pids of every process this one can see (Linux: /proc), or null where there is no /proc. */
export async function processIds(): Promise<string[] | null> {
  try {
    return (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
}

/**
 * True when some process holds the file at `path` (a real path) open for writing: an editor in
 * the middle of a save. Linux only (/proc/PID/fd and fdinfo); elsewhere, and for processes of
 * other users or outside this container, false.
 */
export async function openForWriting(path: string): Promise<boolean> {
  const pids = (await processIds()) ?? [];
  const found = await Promise.all(
    pids.map(async (pid) => {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
      for (const fd of fds) {
        if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => null)) !== path) continue;
        const info = await readFile(`/proc/${pid}/fdinfo/${fd}`, 'utf8').catch(() => '');
        // flags: octal open(2) flags; the access mode is the low two bits (1 write, 2 read-write).
        const flags = /^flags:\s*([0-7]+)$/m.exec(info)?.[1];
        if (flags !== undefined && (parseInt(flags, 8) & 3) !== 0) return true;
      }
      return false;
    }),
  );
  return found.includes(true);
}
