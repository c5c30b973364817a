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
