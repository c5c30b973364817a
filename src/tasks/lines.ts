/** Where each line of a text starts and ends (line endings excluded), as UTF-16 offsets. */
export interface LineTable {
  starts: Int32Array;
  ends: Int32Array;
}

// CommonMark (and so remark) ends a line at \r\n, \n or a lone \r; so do we, so line numbers agree.
/**
 * Splits `source` into lines the way CommonMark does; line N is at index N - 1. The offsets are
 * typed arrays sized from a count of the line ends: arrays grown by push left their old copies as
 * garbage, and a typed array's numbers are outside the heap that the garbage collector copies.
 */
export function splitLines(source: string): LineTable {
  const capacity = count(source, '\n') + count(source, '\r') + 1;
  const starts = new Int32Array(capacity);
  const ends = new Int32Array(capacity);
  let length = 0;
  // indexOf is far faster than a character loop; remember each hit until we pass it.
  let lf = source.indexOf('\n');
  let cr = source.indexOf('\r');
  while (lf !== -1 || cr !== -1) {
    let next: number;
    let after: number;
    if (cr === -1 || (lf !== -1 && lf < cr)) {
      next = lf;
      after = lf + 1;
    } else {
      next = cr;
      after = lf === cr + 1 ? cr + 2 : cr + 1;
    }
    ends[length] = next;
    length += 1;
    starts[length] = after;
    if (lf !== -1 && lf < after) lf = source.indexOf('\n', after);
    if (cr !== -1 && cr < after) cr = source.indexOf('\r', after);
  }
  ends[length] = source.length;
  length += 1;
  return { starts: starts.subarray(0, length), ends: ends.subarray(0, length) };
}

function count(source: string, character: string): number {
  let found = 0;
  for (let at = source.indexOf(character); at !== -1; at = source.indexOf(character, at + 1))
    found += 1;
  return found;
}

/** Index of the first character at or after `from` that is not a space or a tab. */
export function skipBlanks(text: string, from: number, to: number): number {
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code !== 32 && code !== 9) break;
    index += 1;
  }
  return index;
}

// The characters String.prototype.trim removes (WhiteSpace and LineTerminator of ECMAScript).
function isTrimmed(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Where text.slice(from, to).trim() starts, as an offset in `text`. */
export function trimStartAt(text: string, from: number, to: number): number {
  let index = from;
  while (index < to && isTrimmed(text.charCodeAt(index))) index += 1;
  return index;
}

/** Where text.slice(from, to).trim() ends, as an offset in `text`. */
export function trimEndAt(text: string, from: number, to: number): number {
  let index = to;
  while (index > from && isTrimmed(text.charCodeAt(index - 1))) index -= 1;
  return index;
}

/** text.slice(from, to).trim(), with one slice. */
export function trimmedSlice(text: string, from: number, to: number): string {
  const start = trimStartAt(text, from, to);
  return text.slice(start, trimEndAt(text, start, to));
}
