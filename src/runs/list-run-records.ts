import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { readRunRecord, type RunRecord } from './run-record.js';

/** A run.json as this process last read it, and the file's identity then. */
interface ReadRecord {
  identity: string;
  record: RunRecord | null;
}

/**
 * The run records this process read, per runs folder, each kept while its file stays the same:
 * the daemon lists them at every scan, and a folder of 1,000 runs took 60 ms to read again
 * against 9 ms to look at. Only files at rest for SETTLED_MS on a local file system are kept
 * (see listRunRecords).
 */
const recordsRead = new Map<string, Map<string, ReadRecord>>();

/**
 * A record file untouched for this long is trusted while its identity (inode, size, times) stays
 * the same. A younger one is read every time: file times advance in ticks of the kernel's coarse
 * clock (at most 10 ms), and a record replaced twice within one tick can come back with the inode
 * it had and the same size; a file rewritten after it was seen at rest this long gets a later time.
 */
const SETTLED_MS = 100;

/**
 * File systems whose file times come from this machine's clock and whose attributes `stat` reads
 * from the disk, not from a cache that another machine's writes do not reach (NFS, SMB, FUSE):
 * ext2-4, xfs, btrfs, tmpfs, overlay, zfs, f2fs, bcachefs. Elsewhere every record is read anew.
 */
const LOCAL_FILE_SYSTEMS = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630, 0x2fc12fc1, 0xf2f52010, 0xca451a4e,
]);
const localFolders = new Map<string, boolean>();

async function isLocal(dir: string): Promise<boolean> {
  const known = localFolders.get(dir);
  if (known !== undefined) return known;
  const info = await statfs(dir).catch(() => null);
  // A folder not there yet is asked again next time.
  if (info === null) return false;
  const local = LOCAL_FILE_SYSTEMS.has(info.type);
  localFolders.set(dir, local);
  return local;
}

/**
 * Every run record under `.adw/runs`. Records are replaced whole (temp file and rename), so a
 * file whose identity did not change holds what was read before: only new and changed ones are
 * read. The records returned may be shared with other callers: they are frozen.
 */
export async function listRunRecords(adwDir: string): Promise<RunRecord[]> {
  const dir = join(adwDir, 'runs');
  const [ids, local] = await Promise.all([readdir(dir).catch((): string[] => []), isLocal(dir)]);
  const before = recordsRead.get(dir);
  const kept = new Map<string, ReadRecord>();
  const records = await Promise.all(
    ids.map(async (id) => {
      if (!local) return readRunRecord(adwDir, id);
      const info = await stat(join(dir, id, 'run.json'), { bigint: true }).catch(() => null);
      if (info === null) return null;
      const identity = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
      const known = before?.get(id);
      if (known?.identity === identity) {
        kept.set(id, known);
        return known.record;
      }
      // Read after the look: a file replaced in between is read new and looked at again next time.
      const read = await readRunRecord(adwDir, id);
      const record = read === null ? null : Object.freeze(read);
      if (Date.now() - Number(info.mtimeMs) >= SETTLED_MS) kept.set(id, { identity, record });
      return record;
    }),
  );
  recordsRead.set(dir, kept);
  return records.filter((record): record is RunRecord => record !== null);
}
