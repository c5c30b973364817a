import type { Diagnostic } from '../tasks/types.js';

/** Where the first invalid UTF-8 sequence starts: byte offset, 1-based line and column. */
export interface Utf8Problem {
  offset: number;
  byte: number;
  line: number;
  column: number;
}

// Length of a valid sequence starting at `i`, or 0 when the bytes there are not UTF-8
// (stray continuation byte, overlong form, surrogate, above U+10FFFF, truncated sequence).
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Finds the first byte of `bytes` that is not valid UTF-8, or null. The column counts UTF-16
 * code units of the valid text before it on its line (like every other column of tasks.md);
 * `start` skips a BOM so that line 1 columns match the BOM-stripped text.
 */
export function findInvalidUtf8(bytes: Uint8Array, start = 0): Utf8Problem | null {
  let line = 1;
  let lineStart = start;
  let i = start;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      const before = Buffer.from(bytes.buffer, bytes.byteOffset + lineStart, i - lineStart);
      return { offset: i, byte: bytes[i] ?? 0, line, column: before.toString('utf8').length + 1 };
    }
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
    i += length;
  }
  return null;
}

/** The `invalid-utf8` diagnostic for a problem found by findInvalidUtf8. */
export function invalidUtf8Diagnostic(problem: Utf8Problem): Diagnostic {
  const hex = problem.byte.toString(16).toUpperCase().padStart(2, '0');
  return {
    rule: 'invalid-utf8',
    severity: 'error',
    line: problem.line,
    column: problem.column,
    message: `Not valid UTF-8 (byte 0x${hex}); the file is never rewritten until it is saved as UTF-8`,
    expected: ['UTF-8'],
    actual: `0x${hex}`,
  };
}
