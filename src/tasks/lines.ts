/** Where each line of a text starts and ends (line endings excluded), as UTF-16 offsets. */
export interface LineTable {
  starts: number[];
  ends: number[];
}

// CommonMark (and so remark) ends a line at \r\n, \n or a lone \r; so do we, so line numbers agree.
/** Splits `source` into lines the way CommonMark does; line N is at index N - 1. */
export function splitLines(source: string): LineTable {
  const starts: number[] = [0];
  const ends: number[] = [];
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
    ends.push(next);
    starts.push(after);
    if (lf !== -1 && lf < after) lf = source.indexOf('\n', after);
    if (cr !== -1 && cr < after) cr = source.indexOf('\r', after);
  }
  ends.push(source.length);
  return { starts, ends };
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
