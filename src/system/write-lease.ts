import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadNativeAddon } from './native-addon.js';

interface WriteLeaseAddon {
  writers(fd: number): boolean | null;
}

let addon: WriteLeaseAddon | null | undefined;

// The addon where it is built, else null (loaded once).
function loadAddon(): WriteLeaseAddon | null {
  if (addon === undefined) addon = loadNativeAddon('write-lease') as WriteLeaseAddon | null;
  return addon;
}

/**
 * Whether writersOf can answer at all: `off` (ADW_TRIGGER_WRITE_LEASE=off), `not-linux` (the
 * leases it asks for are Linux's), `not-built` (no addon), else `ready` (the kernel may still
 * refuse a given file: then writersOf gives null).
 */
export function writeLeaseState(): 'off' | 'not-linux' | 'not-built' | 'ready' {
  if (process.env.ADW_TRIGGER_WRITE_LEASE === 'off') return 'off';
  if (process.platform !== 'linux') return 'not-linux';
  return loadAddon() === null ? 'not-built' : 'ready';
}

/**
 * Whether any process holds the file behind `fd` open for writing, asked of the kernel (Linux: a
 * read lease is refused while the file is open for writing anywhere on this machine, whatever
 * the user or container): true or false. Null when it cannot tell here: no addon, a file of
 * another owner, a file system without leases (network, FUSE), or ADW_TRIGGER_WRITE_LEASE=off.
 */
export function writersOf(fd: number): boolean | null {
  if (writeLeaseState() !== 'ready') return null;
  return loadAddon()?.writers(fd) ?? null;
}

/** writersOf for the file at `path`, with the state of the file it asked about. */
export async function writersOfPath(
  path: string,
): Promise<{ writing: boolean | null; info: Stats } | null> {
  let handle;
  try {
    // O_NONBLOCK: a FIFO named like the file must not hang the caller until someone writes to it.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const info = await handle.stat();
    return { writing: writersOf(handle.fd), info };
  } finally {
    await handle.close();
  }
}
