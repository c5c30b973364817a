import type { Block, LinesBlock, ParagraphLines } from './blocks.js';
import {
  atxText,
  isAtxHeading,
  isPlainStart,
  listItemContent,
  opensParagraph,
  startsBlock,
} from './line-kinds.js';
import { skipBlanks, type LineTable } from './lines.js';
import { regionEnd } from './region-end.js';
import { remarkRegion } from './remark-blocks.js';

/** The blocks of a document, and how many of its lines went through remark. */
export interface BlockRead {
  blocks: Block[];
  remarkLines: number;
}

/**
 * The blocks of tasks.md, read line by line for the common shapes (ATX headings, paragraphs, and
 * `- ` items of ordinary text with their blank-separated paragraphs) and with remark only for the regions that need
 * CommonMark's full rules (code, html, quotes, setext headings, nested or ordered lists,
 * definitions). A region starts at the last line where every block above is closed and ends at
 * the first line after it that starts afresh, so the result equals remark's on the whole file (a
 * property test checks this) while the time stays linear: remark takes ~20 ms per 1,000 tasks,
 * and more than linear time on long lists.
 */
export function readBlocks(source: string, lines: LineTable): BlockRead {
  const blocks: Block[] = [];
  const { starts, ends } = lines;
  let remarkLines = 0;
  let open: ParagraphLines | null = null;
  // The list item still open (a blank line does not close it) and the column its text starts at.
  let item: { block: LinesBlock; indent: number } | null = null;
  // The last line where everything above is closed, and the block count at that line.
  let boundary = 0;
  let boundaryBlocks = 0;
  let index = 0;
  while (index < starts.length) {
    const start = starts[index] ?? 0;
    const end = ends[index] ?? 0;
    const line = index + 1;
    const content = skipBlanks(source, start, end);
    if (content === end) {
      open = null;
      index += 1;
      continue;
    }
    const heading = content === start && isAtxHeading(source, start, end);
    const bullet = content === start ? listItemContent(source, start, end) : null;
    // A line at column 0 closes every list item above, unless it continues an open paragraph
    // lazily; after a blank line, a heading or with a bullet of its own it also closes the
    // paragraph above.
    if (content === start && (open === null || heading || bullet !== null)) {
      boundary = index;
      boundaryBlocks = blocks.length;
      item = null;
    }
    let easy = true;
    if (content > start && open !== null) {
      // Indented text continues a paragraph; an indented block start is left to remark.
      easy = !startsBlock(source, content, end);
      if (easy) open.toLine = line;
    } else if (content > start) {
      // After a blank line or a heading: a paragraph of the open list item when indented to its
      // text, else a paragraph of the document when indented less than a code block.
      const indent = content - start;
      if (item !== null && indent < item.indent) item = null;
      const base = item === null ? 0 : item.indent;
      easy =
        indent < base + 4 &&
        !hasTab(source, start, content) &&
        !startsBlock(source, content, end) &&
        opensParagraph(source, content, end);
      if (easy)
        open = item === null ? paragraph(blocks, line, content) : next(item.block, line, content);
    } else if (!heading && isPlainStart(source, start, end)) {
      if (open !== null) open.toLine = line;
      else if (opensParagraph(source, start, end)) open = paragraph(blocks, line, start);
      else easy = false;
    } else if (heading) {
      open = null;
      blocks.push({ kind: 'heading', line, column: 1, text: atxText(source.slice(start, end)) });
    } else if (bullet !== null && opensParagraph(source, bullet, end)) {
      open = paragraph(blocks, line, bullet);
      const block = blocks[blocks.length - 1];
      if (block?.kind === 'lines') item = { block, indent: bullet - start };
    } else {
      easy = false;
    }
    if (easy) {
      index += 1;
      continue;
    }
    blocks.length = boundaryBlocks;
    const region = readRegion(source, lines, boundary, index);
    for (const block of region.blocks) blocks.push(block);
    remarkLines += region.end - boundary;
    open = null;
    item = null;
    index = region.end;
    boundary = index;
    boundaryBlocks = blocks.length;
  }
  return { blocks, remarkLines };
}

function hasTab(source: string, from: number, to: number): boolean {
  for (let at = from; at < to; at += 1) if (source.charCodeAt(at) === 9) return true;
  return false;
}

// One more paragraph of a list item (after a blank line inside the item).
function next(block: LinesBlock, line: number, first: number): ParagraphLines {
  const open = { fromLine: line, toLine: line, first };
  block.paragraphs.push(open);
  return open;
}

function paragraph(blocks: Block[], line: number, first: number): ParagraphLines {
  const open = { fromLine: line, toLine: line, first };
  blocks.push({ kind: 'lines', paragraphs: [open] });
  return open;
}

// Reads lines from..end with remark. When the line chosen as the end turns out to continue the
// region (an HTML block or fence the quick scan misjudged), the region at least doubles, so the
// total work stays linear.
function readRegion(
  source: string,
  lines: LineTable,
  from: number,
  hard: number,
): { blocks: Block[]; end: number } {
  let minEnd = hard + 1;
  for (;;) {
    const end = regionEnd(source, lines, hard, minEnd);
    const blocks = remarkRegion(source, lines, from, end);
    if (blocks !== null) return { blocks, end };
    minEnd = end + (end - from);
  }
}
