// Characters that can open a block other than a paragraph (quote, html, fence, setext underline,
// thematic break, list, heading), as char codes. A line starting with one of them is left to remark.
// These run for every line: they read char codes in place and never slice the line.
const BLOCK_START = new Set([62, 60, 96, 126, 61, 95, 42, 45, 43, 35]); // > < ` ~ = _ * - + #

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isBlankOrEnd(source: string, at: number, end: number): boolean {
  if (at >= end) return true;
  const code = source.charCodeAt(at);
  return code === 32 || code === 9;
}

/** True when the line from `start` opens an ATX heading (`# x`, not `#tag`). */
export function isAtxHeading(source: string, start: number, end: number): boolean {
  let at = start;
  while (at < end && at - start < 6 && source.charCodeAt(at) === 35) at += 1;
  return at > start && isBlankOrEnd(source, at, end);
}

// `1.`, `23)`: up to 9 digits, then `.` or `)`, then a blank or the end of the line.
function isOrderedItem(source: string, at: number, end: number): boolean {
  let index = at;
  while (index < end && index - at < 9 && isDigit(source.charCodeAt(index))) index += 1;
  if (index === at || index >= end) return false;
  const code = source.charCodeAt(index);
  return (code === 46 || code === 41) && isBlankOrEnd(source, index + 1, end);
}

/** True when the text at `at` could open a block other than a paragraph. */
export function startsBlock(source: string, at: number, end: number): boolean {
  const code = at < end ? source.charCodeAt(at) : NaN;
  return BLOCK_START.has(code) || (isDigit(code) && isOrderedItem(source, at, end));
}

/** A line at column 0 that is ordinary paragraph text: `#tag` is text, `# x` is a heading. */
export function isPlainStart(source: string, start: number, end: number): boolean {
  if (source.charCodeAt(start) === 35) return !isAtxHeading(source, start, end);
  return !startsBlock(source, start, end);
}

/** `- text`, `* text`, `+ text` with one space: where the item's text starts, or null. */
export function listItemContent(source: string, start: number, end: number): number | null {
  const first = source.charCodeAt(start);
  if (first !== 45 && first !== 42 && first !== 43) return null;
  if (start + 1 >= end || source.charCodeAt(start + 1) !== 32) return null;
  const content = start + 2;
  if (isBlankOrEnd(source, content, end)) return null;
  return startsBlock(source, content, end) ? null : content;
}

/** False when a paragraph starting here may be a link definition `[label]:` (over several lines). */
export function opensParagraph(source: string, start: number, end: number): boolean {
  if (source.charCodeAt(start) !== 91) return true;
  // Within the line only: indexOf would run on through the rest of the file.
  let close = false;
  for (let at = start + 1; at < end; at += 1) {
    if (source.charCodeAt(at) !== 93) continue;
    if (at + 1 < end && source.charCodeAt(at + 1) === 58) return false;
    close = true;
  }
  return close;
}

/** CommonMark ATX heading text: without the hashes around it and the spaces; NUL reads as U+FFFD. */
export function atxText(line: string): string {
  const text = line
    .replace(/^#+/, '')
    .replace(/^[ \t]+|[ \t]+$/g, '')
    .replaceAll('\0', '\uFFFD');
  if (/^#+$/.test(text)) return '';
  return text.replace(/[ \t]+#+$/, '');
}
