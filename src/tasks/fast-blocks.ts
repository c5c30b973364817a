import type { Block, ParagraphLines } from './blocks.js';
import { skipBlanks, type LineTable } from './lines.js';

// Characters that can open a block other than a paragraph (quote, html, fence, setext underline,
// thematic break, list, heading). A line starting with one of them is left to remark.
const BLOCK_START = new Set(['>', '<', '`', '~', '=', '_', '*', '-', '+', '#']);
const ORDERED_ITEM = /^\d{1,9}[.)](?:[ \t]|$)/;
const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;

/**
 * The blocks of a "plain" tasks.md without running remark: ATX headings, paragraphs and one-line
 * `- ` list items whose lines start with ordinary text. Returns null as soon as a line could be
 * anything else (code, html, quote, setext heading, nested or ordered list, a blank line inside
 * a list item, a link definition); the caller then uses remark. On every document it accepts it
 * gives exactly remark's blocks (a property test checks this). It exists because remark takes
 * ~20 ms per 1,000 tasks and the daemon re-reads tasks.md on every change.
 */
export function fastBlocks(source: string, lines: LineTable): Block[] | null {
  const blocks: Block[] = [];
  const { starts, ends } = lines;
  let open: ParagraphLines | null = null;
  for (let index = 0; index < starts.length; index += 1) {
    const start = starts[index] ?? 0;
    const end = ends[index] ?? 0;
    const line = index + 1;
    const content = skipBlanks(source, start, end);
    if (content === end) {
      open = null;
      continue;
    }
    if (content > start) {
      // Indented text only continues a paragraph; an indented block start is left to remark.
      if (open === null || startsBlock(source, content, end)) return null;
      open.toLine = line;
      continue;
    }
    if (isPlainStart(source, start, end)) {
      if (open !== null) {
        open.toLine = line;
        continue;
      }
      if (!opensParagraph(source, start, end)) return null;
      open = { fromLine: line, toLine: line, first: start };
      blocks.push({ kind: 'lines', paragraphs: [open] });
      continue;
    }
    if (isAtxHeading(source, start, end)) {
      open = null;
      blocks.push({ kind: 'heading', line, column: 1, text: atxText(source.slice(start, end)) });
      continue;
    }
    const item = listItemContent(source, start, end);
    if (item === null || !opensParagraph(source, item, end)) return null;
    open = { fromLine: line, toLine: line, first: item };
    blocks.push({ kind: 'lines', paragraphs: [open] });
  }
  return blocks;
}

function isAtxHeading(source: string, start: number, end: number): boolean {
  return ATX_HEADING.test(source.slice(start, Math.min(end, start + 7)));
}

function startsBlock(source: string, at: number, end: number): boolean {
  return (
    BLOCK_START.has(source.charAt(at)) ||
    ORDERED_ITEM.test(source.slice(at, Math.min(end, at + 12)))
  );
}

// A line at column 0 that is ordinary paragraph text: `#tag` is text, `# x` is a heading.
function isPlainStart(source: string, start: number, end: number): boolean {
  if (source.charAt(start) === '#') return !isAtxHeading(source, start, end);
  return !startsBlock(source, start, end);
}

// `- text`, `* text`, `+ text` with one space: where the item's text starts, or null.
function listItemContent(source: string, start: number, end: number): number | null {
  const first = source.charAt(start);
  if (first !== '-' && first !== '*' && first !== '+') return null;
  if (source.charAt(start + 1) !== ' ') return null;
  const content = start + 2;
  if (content >= end || source.charAt(content) === ' ' || source.charAt(content) === '\t')
    return null;
  return startsBlock(source, content, end) ? null : content;
}

// A paragraph that starts with `[label]:` may be a link definition (possibly over several lines).
function opensParagraph(source: string, start: number, end: number): boolean {
  if (source.charAt(start) !== '[') return true;
  const text = source.slice(start, end);
  return text.includes(']') && !text.includes(']:');
}

// CommonMark ATX heading text: without the opening hashes, the closing hashes and the spaces;
// NUL reads as U+FFFD, as in micromark.
function atxText(line: string): string {
  const text = line
    .replace(/^#+/, '')
    .replace(/^[ \t]+|[ \t]+$/g, '')
    .replaceAll('\0', '\uFFFD');
  if (/^#+$/.test(text)) return '';
  return text.replace(/[ \t]+#+$/, '');
}
