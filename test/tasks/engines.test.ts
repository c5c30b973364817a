import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBlocks, type BlockRead } from '../../src/tasks/fast-blocks.js';
import { splitLines } from '../../src/tasks/lines.js';
import { remarkBlocks } from '../../src/tasks/remark-blocks.js';

// Lines that a hand-written tasks.md plausibly contains, including every construct that the
// fast reader must refuse (code, html, quotes, setext, nested and ordered lists, definitions).
const SIMPLE = [
  '',
  '   ',
  '[] task a',
  '[ ] task b #opus',
  '[⏰] task c',
  '- [] item d',
  '* [x] item e',
  '+ [✅ abc1234, id1] item f',
  '  detail',
  'plain text',
  '#tag at start',
  '# Git Worktree foo',
  '# Git Worktree a\u0000b',
  '## Git Worktree bad name',
  '### heading ###',
  '#',
  '# #',
  '#\tx',
  '# foo#',
  '# foo \\#',
  '## a ##  ',
  '#  x  #b',
  '| a | b |',
  '\\[] escaped',
  '[link](url) x',
  '[a][b] c',
  '[🟢] bad',
  '2024 was a year',
  'a\u0000b',
];
const TRICKY = [
  '    indented code [] x',
  '\tindented tab',
  '```',
  '~~~',
  '> [] quoted',
  '<div>',
  '<!-- [] c -->',
  '-->',
  '---',
  '===',
  '***',
  '- - -',
  '1. [] ordered',
  '2) y',
  '[ref]: http://x',
  '[foo',
  'bar]: /u',
  '-',
  '- ',
  '-  [] two spaces',
  '- # h',
  '- > q',
  '  - [] nested',
  '   # Git Worktree x',
  '*emph* x',
  '_x_',
  '    ',
  '  > quote',
];

// Lines that only matter with what surrounds them: blocks that run past blank lines.
const SPANNING = [
  '```js',
  '  ```',
  '````',
  '<script>',
  '</script>',
  '<pre x="1">',
  '<!--',
  '<!-- one line -->',
  '<?php',
  '?>',
  '<!DOCTYPE html>',
  '<![CDATA[',
  ']]>',
  '>',
  '    ~~~',
  '- ```',
  '> ```',
  '1. [] first',
  '- [] item',
  '',
  '',
];

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SIMPLE) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.constantFrom(...SPANNING) },
);
const eol = fc.constantFrom('\n', '\n', '\r\n', '\r');
const documentArb = fc.array(fc.tuple(line, eol), { maxLength: 60 }).chain((pairs) =>
  fc.boolean().map((trailing) => {
    const text = pairs.map(([content, ending]) => content + ending).join('');
    return trailing ? text : text.replace(/(?:\r\n|\r|\n)$/, '');
  }),
);

function read(source: string): BlockRead {
  return readBlocks(source, splitLines(source));
}

describe('structure reader', () => {
  it('gives exactly remark blocks on any document, reading only some regions with remark', () => {
    let mixed = 0;
    let plain = 0;
    fc.assert(
      fc.property(documentArb, (source) => {
        const fast = read(source);
        const lineCount = splitLines(source).starts.length;
        if (fast.remarkLines === 0) plain += 1;
        else if (fast.remarkLines < lineCount) mixed += 1;
        expect(fast.blocks).toEqual(remarkBlocks(source));
      }),
      { numRuns: 4000 },
    );
    // The property says little unless both plain documents and mixed ones occurred.
    expect(plain).toBeGreaterThan(200);
    expect(mixed).toBeGreaterThan(1000);
  });

  // Alone after a blank line these are ordinary text or blank: read without remark. An unclosed
  // fence runs to the end of the file.
  const harmless = new Set(['bar]: /u', '    ']);
  const fences = new Set(['```', '~~~']);
  it.each(TRICKY.filter((tricky) => !harmless.has(tricky) && !fences.has(tricky)))(
    'reads only the region around %j with remark, like remark',
    (tricky) => {
      const source = `[] a\n\n${tricky}\n[] b\n\n[] c\n\n[] d\n`;
      const fast = read(source);
      expect(fast.remarkLines).toBeGreaterThan(0);
      expect(fast.remarkLines).toBeLessThanOrEqual(5);
      expect(fast.blocks).toEqual(remarkBlocks(source));
    },
  );

  it.each([...harmless])('reads %j after a blank line without remark', (harmlessLine) => {
    const source = `[] a\n\n${harmlessLine}\n[] b\n`;
    expect(read(source)).toEqual({ blocks: remarkBlocks(source), remarkLines: 0 });
  });

  it.each([
    ['a heading', '\uFEFF## Git Worktree x\n[] a\n'],
    ['a task line', '\uFEFF[] a\n'],
    ['a fence', '\uFEFF```\n[] a\n```\n'],
  ])(
    'reads a line that starts with a second byte order mark as text, like remark: %s',
    (_n, source) => {
      expect(read(source).blocks).toEqual(remarkBlocks(source));
    },
  );

  it.each([
    ['a second paragraph of a list item', '- [] a\n\n  detail\n[] lazy\n\n[] b\n'],
    ['a paragraph indented less than the item', '- [] a\n\n [] one space\n'],
    ['an indented paragraph after a heading', '# Git Worktree x\n  [] indented\n'],
    ['two blank lines inside an item', '- [] a\n\n\n  [] b\n'],
  ])('reads %s without remark, like remark', (_name, source) => {
    expect(read(source)).toEqual({ blocks: remarkBlocks(source), remarkLines: 0 });
  });

  it('leaves code indented inside a list item to remark', () => {
    const source = '- [] a\n\n      [] code\n\n[] b\n';
    const fast = read(source);
    expect(fast.remarkLines).toBeGreaterThan(0);
    expect(fast.blocks).toEqual(remarkBlocks(source));
  });

  it.each([
    ['an unclosed fence', '```\n[] a\n\n[] b\n\n[] c\n'],
    ['a fence closed later', '```\n[] a\n\n[] b\n```\n\n[] c\n'],
    ['a comment over blank lines', '<!--\n\n[] a\n\n-->\n\n[] b\n'],
    ['an html block up to a blank line', '<div>\n- [] a\n# h\n\n[] b\n'],
    ['a list item with a fence', '- [] a\n\n  ```\n\n  [] b\n\n[] c\n'],
  ])('keeps %s whole', (_name, source) => {
    expect(read(source).blocks).toEqual(remarkBlocks(source));
  });
});
