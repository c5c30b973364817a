import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AdwError } from '../errors.js';

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}

// Best effort: some file systems (and all of Windows) cannot fsync a directory. The rename is
// already atomic; the directory fsync only makes it durable across a power loss.
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Durability is best effort here; the content itself is already consistent.
  }
}

/**
 * Replaces the existing file `path` with `data` atomically: readers (editors, the other daemon)
 * see the old bytes or the new bytes, never a half-written file. The temp file lives in the
 * same directory because rename is only atomic within one file system; it gets the original's
 * mode (and owner, when permitted) so that rewriting never changes who may edit tasks.md.
 * `path` must already be resolved through symlinks by the caller, or the link is replaced.
 * `stillCurrent` is asked right before the rename; when it says no, nothing is replaced and the
 * result is null. Otherwise the result is the new file's state as written (its inode, size and
 * mtime), taken before the rename: by the time the caller looks, another writer may already have
 * changed the file. `current`: the state of the file at `path`, when the caller has it at hand.
 */
export async function replaceFileAtomically(
  path: string,
  data: Buffer,
  stillCurrent: () => Promise<boolean> = () => Promise.resolve(true),
  current?: Stats,
): Promise<Stats | null> {
  const original = current ?? (await stat(path));
  // Checked by mode bits, not access(W_OK): root may write anything, but a file made read-only
  // was made so by a person who does not want it changed.
  if ((original.mode & 0o222) === 0) {
    throw new AdwError(
      'WRITE_FAILED',
      `${path} is read-only (mode ${octal(original.mode)}): make it writable (chmod u+w) so that adw-trigger can record task status`,
    );
  }
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  let written: Stats;
  try {
    const mode = original.mode & 0o7777;
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      written = await handle.stat();
      // open() applied the umask, and the new file is ours: where that differs from the
      // original, chmod sets exactly its mode, and chown its owner when permitted.
      if ((written.mode & 0o7777) !== mode) await handle.chmod(mode);
      if (written.uid !== original.uid || written.gid !== original.gid) {
        await handle.chown(original.uid, original.gid).catch(() => undefined);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    // Last look before the swap: a person may have saved since the caller read the file.
    if (!(await stillCurrent())) return null;
    await rename(temp, path);
    renamed = true;
  } catch (error) {
    throw new AdwError('WRITE_FAILED', `Cannot write ${path}: ${String(error)}`, { cause: error });
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
  await syncDirectory(dir);
  return written;
}
