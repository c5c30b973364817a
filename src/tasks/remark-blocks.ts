import type { Heading, ListItem, Paragraph, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Block, LinesBlock, ParagraphLines } from './blocks.js';

// Only block structure matters (headings, paragraphs, list items; code, html, quotes and
// definitions are skipped). Inline syntax is switched off: it is half of remark's time, and a
// heading's text is then exactly what the user typed (`Git Worktree a_b_c` stays `a_b_c`).
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

/** The headings and task-capable lines of `source`, read with remark-parse (CommonMark). */
export function remarkBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  visitAll(processor.parse(source).children, blocks);
  return blocks;
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
    text: toString(node),
  };
}

function paragraphLines(node: Paragraph): ParagraphLines {
  const { start, end } = node.position ?? { start: { line: 1, offset: 0 }, end: { line: 1 } };
  return { fromLine: start.line, toLine: end.line, first: start.offset ?? 0 };
}
