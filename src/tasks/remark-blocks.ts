import type { Heading, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { createRequire } from 'node:module';
import type { Block, LinesBlock, ParagraphLines } from './blocks.js';
import type { LineTable } from './lines.js';

// remark is loaded on the first region that needs it: most files never do, and loading it is
// most of the start-up time of `check` on a small file. require() keeps parsing synchronous.
const load = createRequire(import.meta.url);
let reader: { parse: (source: string) => Root; text: (node: Heading) => string } | null = null;

// Only block structure matters (headings, paragraphs, list items; code, html, quotes and
// definitions are skipped). Inline syntax is switched off: it is half of remark's time, and a
// heading's text is then exactly what the user typed (`Git Worktree a_b_c` stays `a_b_c`).
function remark(): NonNullable<typeof reader> {
  if (reader !== null) return reader;
  const { unified } = load('unified') as typeof import('unified');
  const remarkParse = (load('remark-parse') as typeof import('remark-parse')).default;
  const { toString } = load('mdast-util-to-string') as typeof import('mdast-util-to-string');
  const processor = unified()
    .use(remarkParse)
    .data('micromarkExtensions', [
      {
        disable: {
          null: [
            'attention',
            'autolink',
            'characterEscape',
            'characterReference',
            'codeText',
            'hardBreakEscape',
            'htmlText',
            'labelStartImage',
            'labelStartLink',
            'labelEnd',
          ],
        },
      },
    ])
    .freeze();
  reader = {
    // micromark drops a byte order mark at the start of what it reads, and the caller has dropped
    // the file's own already: another one there (or at the start of a region) is text, so it is
    // given as another invisible character of the same length that markdown reads as text.
    parse: (source) =>
      processor.parse(source.startsWith('\uFEFF') ? `\u200B${source.slice(1)}` : source),
    text: (node) => toString(node),
  };
  return reader;
}

/** The headings and task-capable lines of `source`, read with remark-parse (CommonMark). */
export function remarkBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  visitAll(remark().parse(source).children, blocks);
  return blocks;
}

/**
 * The blocks of lines from..end-1 (0-based) of `source`, read with remark, in the document's line
 * numbers and offsets; null when line `end` does not start a block of its own at the top level
 * (it would continue the region). `end` equal to the line count reads to the end of the file.
 */
export function remarkRegion(
  source: string,
  lines: LineTable,
  from: number,
  end: number,
): Block[] | null {
  const offset = lines.starts[from] ?? 0;
  const last = end === lines.starts.length;
  const root = remark().parse(source.slice(offset, last ? source.length : lines.ends[end]));
  const kept = last ? root.children : keptBefore(root, end - from + 1);
  if (kept === null) return null;
  const blocks: Block[] = [];
  visitAll(kept, blocks);
  for (const block of blocks) shift(block, from, offset);
  return blocks;
}

// The top-level nodes before `line`, or null unless `line` starts a paragraph, a heading or a
// list item at the top level.
function keptBefore(root: Root, line: number): RootContent[] | null {
  const { children } = root;
  for (let index = 0; index < children.length; index += 1) {
    const node = children[index];
    if (node === undefined || (node.position?.end.line ?? 0) < line) continue;
    const kept = children.slice(0, index);
    if (node.position?.start.line === line)
      return node.type === 'paragraph' || node.type === 'heading' || node.type === 'list'
        ? kept
        : null;
    if (node.type !== 'list') return null;
    const items = node.children.filter((item) => (item.position?.start.line ?? 0) < line);
    if (node.children[items.length]?.position?.start.line !== line) return null;
    kept.push({ ...node, children: items });
    return kept;
  }
  return null;
}

function shift(block: Block, lineShift: number, offset: number): void {
  if (block.kind === 'heading') {
    block.line += lineShift;
    return;
  }
  for (const paragraph of block.paragraphs) {
    paragraph.fromLine += lineShift;
    paragraph.toLine += lineShift;
    paragraph.first += offset;
  }
}

function visitAll(nodes: readonly RootContent[], blocks: Block[]): void {
  for (const node of nodes) {
    if (node.type === 'heading') blocks.push(heading(node));
    else if (node.type === 'paragraph')
      blocks.push({ kind: 'lines', paragraphs: [paragraphLines(node)] });
    else if (node.type === 'list') for (const item of node.children) visitItem(item, blocks);
  }
}

function visitItem(item: ListItem, blocks: Block[]): void {
  let lines: LinesBlock | null = null;
  const rest: RootContent[] = [];
  for (const child of item.children) {
    if (child.type !== 'paragraph') {
      rest.push(child);
    } else if (lines === null) {
      lines = { kind: 'lines', paragraphs: [paragraphLines(child)] };
      blocks.push(lines);
    } else {
      lines.paragraphs.push(paragraphLines(child));
    }
  }
  visitAll(rest, blocks);
}

function heading(node: Heading): Block {
  const start = node.position?.start;
  return {
    kind: 'heading',
    line: start?.line ?? 1,
    column: start?.column ?? 1,
    text: remark().text(node),
  };
}

function paragraphLines(node: Paragraph): ParagraphLines {
  const { start, end } = node.position ?? { start: { line: 1, offset: 0 }, end: { line: 1 } };
  return { fromLine: start.line, toLine: end.line, first: start.offset ?? 0 };
}
