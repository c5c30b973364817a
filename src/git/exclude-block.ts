import { readFile } from 'node:fs/promises';
import { errnoCode } from '../system/errno.js';
import { writeFileAtomic } from '../system/write-file-atomic.js';

// The daemon's lines in `.git/info/exclude` sit between these two lines; nothing else is its.
const BEGIN = '# adw-trigger: folders the daemon creates (rewritten at each start)';
const END = '# end adw-trigger';

/** A gitignore pattern matching exactly the repository-relative folder `path` (`/trees/`). */
export function folderPattern(path: string): string {
  // Wildcards would match other folders; the leading `/` already keeps `#` and `!` literal.
  return `/${path.replace(/[\\*?[\]]/g, '\\$&')}/`;
}

/**
 * The exclude file `existing` with the daemon's block holding exactly `patterns`: the block is
 * replaced where it is (or appended), and every other line stays byte for byte.
 */
export function withDaemonBlock(existing: string, patterns: readonly string[]): string {
  const block = `${BEGIN}\n${[...new Set(patterns)].join('\n')}\n${END}\n`;
  const start = existing.startsWith(`${BEGIN}\n`) ? 0 : existing.indexOf(`\n${BEGIN}\n`) + 1;
  const end = start === 0 && !existing.startsWith(BEGIN) ? -1 : existing.indexOf(`\n${END}`, start);
  if (end !== -1) {
    const after = existing.indexOf('\n', end + 1);
    return existing.slice(0, start) + block + (after === -1 ? '' : existing.slice(after + 1));
  }
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  return `${existing}${separator}${block}`;
}

/** Rewrites the daemon's block of the exclude file `file` (created if missing) to `patterns`. */
export async function writeDaemonBlock(file: string, patterns: readonly string[]): Promise<void> {
  const existing = await readFile(file, 'utf8').catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return '';
    throw error;
  });
  const next = withDaemonBlock(existing, patterns);
  if (next === existing) return;
  // A whole new file renamed into place: a crash never leaves the user's lines cut short.
  await writeFileAtomic(file, next);
}
