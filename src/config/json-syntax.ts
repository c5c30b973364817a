/** Where a JSON text first goes wrong: the UTF-16 offset and what was expected there. */
export interface JsonSyntaxError {
  offset: number;
  expected: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`expected ${expected} at ${offset}`);
  }
}

const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * Finds the first syntax error of a JSON text, or null when it is valid. JSON.parse says what
 * went wrong but not always where (and its wording changes between Node versions), so this small
 * recursive-descent scanner gives the position and a stable description.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const skipSpace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail('a closing `"`');
      const char = text.charAt(i);
      if (char === '"') {
        i++;
        return;
      }
      if (char === '\\') {
        const next = text.charAt(i + 1);
        HEX4.lastIndex = i + 2;
        if (ESCAPES.has(next)) i += 2;
        else if (next === 'u' && HEX4.test(text)) i += 6;
        else {
          i++;
          fail('an escape sequence such as `\\n` or `\\u0041`');
        }
      } else if (char.charCodeAt(0) < 0x20) {
        fail('`\\n` instead of a raw control character');
      } else i++;
    }
  };
  const value = (): void => {
    skipSpace();
    const char = text.charAt(i);
    if (char === '{') sequence('}', member);
    else if (char === '[') sequence(']', value);
    else if (char === '"') string();
    else if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail('a number');
      i = NUMBER.lastIndex;
    } else {
      const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
      if (literal === undefined) fail('a value');
      else i += literal.length;
    }
  };
  // What follows `{` or `[`: items separated by `,` up to `close`.
  const sequence = (close: '}' | ']', item: () => void): void => {
    i++;
    skipSpace();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skipSpace();
      const char = text.charAt(i);
      i++;
      if (char === close) return;
      if (char !== ',') {
        i--;
        fail(`\`,\` or \`${close}\``);
      }
    }
  };
  const member = (): void => {
    skipSpace();
    if (text.charAt(i) !== '"') fail('a property name in double quotes');
    string();
    skipSpace();
    if (text.charAt(i) !== ':') fail('`:`');
    i++;
    value();
  };
  try {
    value();
    skipSpace();
    if (i < text.length) fail('the end of the file');
    return null;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, expected: error.expected };
    // Nesting deep enough to exhaust the stack: no position to offer.
    return null;
  }
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastBreak };
}
