import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * How old a record file must be before its text is kept for the next read. Record files are
 * replaced whole (temp file + rename), so a file with the same inode, size and times holds the
 * same bytes; a file written within the last second is read again every time, so that two writes
 * inside one tick of the file system's clock can never be taken for one.
 */
const SETTLED_MS = 1_000;

// The text of each settled record file, with the identity of the file it was read from.
const kept = new Map<string, { identity: string; text: string }>();

/**
 * The text of the run record file at `path`, read from disk unless it is a settled file whose
 * text was read before: one stat instead of open, read and close, since every scan of tasks.md
 * lists every record. The stat is synchronous: it takes microseconds, while each call through
 * the thread pool waits its turn behind other I/O (60 records cost a scan about 20 ms on two
 * loaded cores, against under 2 ms this way). Throws as readFile does when the file is missing.
 */
export async function readRecordText(path: string): Promise<string> {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    kept.delete(path);
    throw error;
  }
  const identity = `${String(info.ino)}:${String(info.size)}:${String(info.mtimeMs)}:${String(info.ctimeMs)}`;
  const hit = kept.get(path);
  if (hit?.identity === identity) return hit.text;
  const text = await readFile(path, 'utf8');
  if (Date.now() - Math.max(info.mtimeMs, info.ctimeMs) >= SETTLED_MS) {
    kept.set(path, { identity, text });
  } else kept.delete(path);
  return text;
}
