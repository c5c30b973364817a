import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { AdwError } from '../errors.js';
import type { Diagnostic } from '../tasks/types.js';
import { findInvalidUtf8, invalidUtf8Diagnostic } from './utf8.js';
import { errnoCode } from '../system/errno.js';

/** tasks.md as read from disk at one moment: the text to parse and what identifies those bytes. */
export interface TasksSnapshot {
  path: string;
  /** The decoded text, BOM stripped (invalid bytes replaced by U+FFFD). */
  text: string;
  /** The file started with a UTF-8 BOM; it is written back when the file is rewritten. */
  bom: boolean;
  /** sha256 hex of the raw bytes, BOM included. */
  hash: string;
  /** Set when the bytes are not UTF-8: the file is then never rewritten. */
  encodingError: Diagnostic | null;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** sha256 hex of raw bytes (a string is hashed as its UTF-8 bytes). */
export function hashText(raw: Buffer | string): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** Builds the snapshot of the given raw bytes of the file at `path`. */
export function snapshotOf(path: string, raw: Buffer): TasksSnapshot {
  const bom = raw.subarray(0, 3).equals(BOM);
  const body = bom ? raw.subarray(3) : raw;
  // ignoreBOM keeps a second BOM as text: only the first one is the encoding mark we strip.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  const problem = findInvalidUtf8(body);
  return {
    path,
    text,
    bom,
    hash: hashText(raw),
    encodingError: problem === null ? null : invalidUtf8Diagnostic(problem),
  };
}

function describeKind(isDirectory: boolean): string {
  return isDirectory ? 'a directory' : 'not a regular file (a FIFO, socket or device)';
}

/** Reads tasks.md; throws TASKS_FILE_MISSING or TASKS_FILE_UNREADABLE, never for bad encoding. */
export async function readTasksFile(path: string): Promise<TasksSnapshot> {
  let raw: Buffer;
  try {
    // O_NONBLOCK so that a FIFO named tasks.md is reported instead of blocking the daemon.
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        throw new AdwError(
          'TASKS_FILE_UNREADABLE',
          `Cannot read tasks file ${path}: expected a file, found ${describeKind(info.isDirectory())}`,
        );
      }
      raw = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toReadError(path, error);
  }
  return snapshotOf(path, raw);
}

function toReadError(path: string, error: unknown): AdwError {
  if (error instanceof AdwError) return error;
  const code = errnoCode(error);
  if (code === 'ENOENT') {
    return new AdwError('TASKS_FILE_MISSING', `Tasks file ${path} does not exist`, {
      cause: error,
    });
  }
  const found: Record<string, string> = {
    EISDIR: 'a directory',
    EACCES: 'a file this user may not read (permission denied)',
    EPERM: 'a file this user may not read (operation not permitted)',
    ENOTDIR: 'a path whose parent is not a directory',
    ELOOP: 'a symbolic link loop',
  };
  const what = (code !== undefined ? found[code] : undefined) ?? `an error (${String(error)})`;
  return new AdwError('TASKS_FILE_UNREADABLE', `Cannot read tasks file ${path}: found ${what}`, {
    cause: error,
  });
}
