import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { humanizeLine, humanizeText } from './humanize-line.js';
import { LineSplitter } from './line-splitter.js';

/** One step's raw log in a run folder. */
export interface StepLog {
  step: string;
  path: string;
  bytes: number;
}

const STEP_NAME = /^[A-Za-z0-9_.-]+$/;

/** True when `name` can be a step (and so a log file name): no slash, no `..`. */
export function isStepName(name: string): boolean {
  return STEP_NAME.test(name) && name !== '.' && name !== '..';
}

/** The step logs of a run folder, in the order the steps started. */
export async function listStepLogs(dir: string): Promise<StepLog[]> {
  // A folder that is not there (yet) holds nothing.
  const names = await readdir(dir).catch((): string[] => []);
  const found = await Promise.all(
    names
      .filter((name) => name.endsWith('.log') && isStepName(name.slice(0, -4)))
      .map(async (name) => {
        const path = join(dir, name);
        const info = await stat(path).catch(() => null);
        return info === null
          ? null
          : {
              step: name.slice(0, -4),
              path,
              bytes: info.size,
              born: info.birthtimeMs || info.ctimeMs,
            };
      }),
  );
  return found
    .filter((log) => log !== null)
    .sort((a, b) => a.born - b.born)
    .map(({ step, path, bytes }) => ({ step, path, bytes }));
}

/** Reads a file from `offset` to its current end; a missing file reads as nothing. */
export async function readFrom(path: string, offset: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The humanized lines of a whole step log. */
export async function readHumanLog(path: string): Promise<string[]> {
  return humanizeText((await readFrom(path, 0)).toString('utf8'));
}

/** The last `count` humanized lines of a step log (reads at most its last 256 KiB). */
export async function tailHumanLog(path: string, count: number, bytes: number): Promise<string[]> {
  const window = 256 * 1024;
  const start = Math.max(0, bytes - window);
  const text = (await readFrom(path, start)).toString('utf8');
  // A window that starts mid-line drops that partial first line.
  const lines = text.split('\n');
  if (start > 0) lines.shift();
  return lines.flatMap(humanizeLine).slice(-count);
}

/** Reads a growing log: each call returns the humanized lines completed since the last one. */
export class LogReader {
  private offset = 0;
  private readonly splitter = new LineSplitter();

  constructor(readonly path: string) {}

  /** Humanized lines added since the last read. */
  async read(): Promise<string[]> {
    const chunk = await readFrom(this.path, this.offset);
    this.offset += chunk.length;
    return this.splitter.push(chunk).flatMap(humanizeLine);
  }

  /** The rest, including a last line without a newline: the log is complete. */
  async finish(): Promise<string[]> {
    const lines = await this.read();
    return [...lines, ...this.splitter.end().flatMap(humanizeLine)];
  }
}
