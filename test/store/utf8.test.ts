import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInvalidUtf8, invalidUtf8Diagnostic } from '../../src/store/utf8.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))),
  );

describe('findInvalidUtf8', () => {
  it.each([
    ['ascii', bytes('hello\nworld\n')],
    ['two, three and four byte sequences', bytes('é € 🟡 ✅\n')],
    ['empty input', bytes()],
    ['U+10FFFF', bytes([0xf4, 0x8f, 0xbf, 0xbf])],
  ])('accepts %s', (_name, input) => {
    expect(findInvalidUtf8(input)).toBeNull();
  });

  it.each([
    [
      'a lone continuation byte',
      bytes('ab', [0x80]),
      { offset: 2, byte: 0x80, line: 1, column: 3 },
    ],
    ['a latin-1 é', bytes('[] caf', [0xe9], '\n'), { offset: 6, byte: 0xe9, line: 1, column: 7 }],
    ['an overlong NUL', bytes([0xc0, 0x80]), { offset: 0, byte: 0xc0, line: 1, column: 1 }],
    ['a surrogate', bytes('x', [0xed, 0xa0, 0x80]), { offset: 1, byte: 0xed, line: 1, column: 2 }],
    [
      'above U+10FFFF',
      bytes([0xf4, 0x90, 0x80, 0x80]),
      { offset: 0, byte: 0xf4, line: 1, column: 1 },
    ],
    [
      'a sequence cut at the end',
      bytes('ok', [0xc3]),
      { offset: 2, byte: 0xc3, line: 1, column: 3 },
    ],
    ['a later line', bytes('a\nb\r\nc', [0xff]), { offset: 6, byte: 0xff, line: 3, column: 2 }],
    // Columns count UTF-16 units like every column of tasks.md: é is 1, 🟡 is 2.
    [
      'after multibyte text',
      bytes('é🟡', [0xc3, 0x28]),
      { offset: 6, byte: 0xc3, line: 1, column: 4 },
    ],
  ])('finds %s', (_name, input, expected) => {
    expect(findInvalidUtf8(input)).toEqual(expected);
  });

  it('agrees with a fatal TextDecoder on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
        } catch {
          valid = false;
        }
        expect(findInvalidUtf8(input) === null).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('never reports a problem in encoded strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(findInvalidUtf8(Buffer.from(text, 'utf8'))).toBeNull();
      }),
    );
  });
});

describe('invalidUtf8Diagnostic', () => {
  it('places the problem and names the byte, without repeating the place in the message', () => {
    expect(invalidUtf8Diagnostic({ offset: 9, byte: 0xc3, line: 4, column: 7 })).toEqual({
      rule: 'invalid-utf8',
      severity: 'error',
      line: 4,
      column: 7,
      message: expect.stringMatching(/^Not valid UTF-8 \(byte 0xC3\)/) as string,
      expected: ['UTF-8'],
      actual: '0xC3',
    });
  });
});
