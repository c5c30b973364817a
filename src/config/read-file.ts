import { lstat, readFile } from 'node:fs/promises';
import { AdwError } from '../errors.js';
import { findJsonSyntaxError, lineColumn } from './json-syntax.js';
import { showValue } from './expected-value.js';

function invalid(message: string, cause?: unknown): AdwError {
  return new AdwError('CONFIG_INVALID', message, cause === undefined ? {} : { cause });
}

// The file is there but cannot be read: an operational problem (exit 1), not a bad value (exit 2).
function unreadable(message: string, cause: unknown): AdwError {
  return new AdwError('CONFIG_UNREADABLE', message, { cause });
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

// A missing file is normal (every key is optional); a symlink pointing nowhere is a mistake.
async function isDanglingLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * Reads a JSON config file into a plain object, or null when there is no such file. A file that
 * cannot be read (a directory, a dangling link, no permission) is CONFIG_UNREADABLE; content that
 * is not UTF-8, not JSON or not an object is CONFIG_INVALID. Messages start with `label`.
 */
export async function readConfigFile(
  path: string,
  label: string,
): Promise<Record<string, unknown> | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && !(await isDanglingLink(path))) return null;
    if (code === 'ENOENT')
      throw unreadable(`${label}: is a symbolic link to a missing file`, error);
    if (code === 'EISDIR')
      throw unreadable(`${label}: is a directory, expected a JSON file`, error);
    const reason = error instanceof Error ? error.message : String(error);
    throw unreadable(`${label}: cannot be read: ${reason}`, error);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (error) {
    throw invalid(`${label}: is not UTF-8 text`, error);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const syntax = findJsonSyntaxError(text);
    if (syntax === null) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(`${label}: Invalid JSON: ${reason}`, error);
    }
    const { line, column } = lineColumn(text, syntax.offset);
    const char = text.codePointAt(syntax.offset);
    const found =
      char === undefined
        ? 'the end of the file'
        : `\`${char < 0x20 ? showValue(String.fromCodePoint(char)) : String.fromCodePoint(char)}\``;
    throw invalid(
      `${label}:${line}:${column}: Invalid JSON: expected ${syntax.expected}, found ${found}`,
      error,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(
      `${label}: Expected an object such as {"concurrency": 2}, got \`${showValue(data)}\``,
    );
  }
  return data as Record<string, unknown>;
}
