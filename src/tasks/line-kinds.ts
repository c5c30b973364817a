// Characters that can open a block other than a paragraph (quote, html, fence, setext underline,
// thematic break, list, heading). A line starting with one of them is left to remark.
const BLOCK_START = new Set(['>', '<', '`', '~', '=', '_', '*', '-', '+', '#']);
const ORDERED_ITEM = /^\d{1,9}[.)](?:[ \t]|$)/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;

/** True when the line from `start` opens an ATX heading (`# x`, not `#tag`). */
export function isAtxHeading(source: string, start: number, end: number): boolean {
  return ATX_HEADING.test(source.slice(start, Math.min(end, start + 7)));
}

/** True when the text at `at` could open a block other than a paragraph. */
export function startsBlock(source: string, at: number, end: number): boolean {
  return (
    BLOCK_START.has(source.charAt(at)) ||
    ORDERED_ITEM.test(source.slice(at, Math.min(end, at + 12)))
  );
}

/** A line at column 0 that is ordinary paragraph text: `#tag` is text, `# x` is a heading. */
export function isPlainStart(source: string, start: number, end: number): boolean {
  if (source.charAt(start) === '#') return !isAtxHeading(source, start, end);
  return !startsBlock(source, start, end);
}

/** `- text`, `* text`, `+ text` with one space: where the item's text starts, or null. */
export function listItemContent(source: string, start: number, end: number): number | null {
  const first = source.charAt(start);
  if (first !== '-' && first !== '*' && first !== '+') return null;
  if (source.charAt(start + 1) !== ' ') return null;
  const content = start + 2;
  if (content >= end || source.charAt(content) === ' ' || source.charAt(content) === '\t')
    return null;
  return startsBlock(source, content, end) ? null : content;
}

/** False when a paragraph starting here may be a link definition `[label]:` (over several lines). */
export function opensParagraph(source: string, start: number, end: number): boolean {
  if (source.charAt(start) !== '[') return true;
  const text = source.slice(start, end);
  return text.includes(']') && !text.includes(']:');
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
