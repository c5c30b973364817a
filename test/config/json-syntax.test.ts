import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineColumn } from '../../src/config/json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it.each<[string, number, string]>([
    ['{"a": 1,}', 8, 'a property name in double quotes'],
    ['[1, 2,]', 6, 'a value'],
    ['[1 2]', 3, '`,` or `]`'],
    ['{"a": 01}', 7, '`,` or `}`'],
    ['{"a": -}', 6, 'a number'],
    ['{"a": tru}', 6, 'a value'],
    ['{"a": "\\x"}', 8, 'an escape sequence such as `\\n` or `\\u0041`'],
    ['{"a": "\\u12"}', 8, 'an escape sequence such as `\\n` or `\\u0041`'],
    ['"abc', 4, 'a closing `"`'],
    ['1 2', 2, 'the end of the file'],
    ['   ', 3, 'a value'],
    ['{"a" 1}', 5, '`:`'],
  ])('finds the error in %j', (text, offset, expected) => {
    expect(findJsonSyntaxError(text)).toEqual({ offset, expected });
  });

  it('finds no error in any JSON that JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        expect(findJsonSyntaxError(JSON.stringify(value, null, indent))).toBeNull();
      }),
    );
  });

  it('agrees with JSON.parse on arbitrary and damaged texts', () => {
    const damaged = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', ' ', '\\', '\n'))
      .map(([text, at, insert]) => {
        const index = at % (text.length + 1);
        return text.slice(0, index) + insert + text.slice(index + 1);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), damaged), (text) => {
        expect(findJsonSyntaxError(text) === null).toBe(parses(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lineColumn', () => {
  it.each<[string, number, number, number]>([
    ['abc', 0, 1, 1],
    ['abc', 3, 1, 4],
    ['a\nbc', 3, 2, 2],
    ['a\r\n\r\nb', 5, 3, 1],
  ])('places offset in %j at %i', (text, offset, line, column) => {
    expect(lineColumn(text, offset)).toEqual({ line, column });
  });
});
