import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastBlocks } from '../../src/tasks/fast-blocks.js';
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

const line = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SIMPLE) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
);
const eol = fc.constantFrom('\n', '\n', '\r\n', '\r');
const documentArb = fc.array(fc.tuple(line, eol), { maxLength: 30 }).chain((pairs) =>
  fc.boolean().map((trailing) => {
    const text = pairs.map(([content, ending]) => content + ending).join('');
    return trailing ? text : text.replace(/(?:\r\n|\r|\n)$/, '');
  }),
);

describe('fast structure reader', () => {
  it('gives exactly remark blocks whenever it accepts a document', () => {
    let accepted = 0;
    fc.assert(
      fc.property(documentArb, (source) => {
        const fast = fastBlocks(source, splitLines(source));
        if (fast === null) return;
        accepted += 1;
        expect(fast).toEqual(remarkBlocks(source));
      }),
      { numRuns: 3000 },
    );
    // The property says nothing if the fast reader refuses everything.
    expect(accepted).toBeGreaterThan(300);
  });

  // Alone after a blank line these are ordinary text or blank: accepted, and still equal.
  const harmless = new Set(['bar]: /u', '    ']);
  it.each(TRICKY.filter((tricky) => !harmless.has(tricky)))(
    'leaves a document with %j to remark',
    (tricky) => {
      const source = `[] a\n\n${tricky}\n[] b\n`;
      expect(fastBlocks(source, splitLines(source))).toBeNull();
    },
  );

  it.each([...harmless])('accepts %j after a blank line, like remark', (harmlessLine) => {
    const source = `[] a\n\n${harmlessLine}\n[] b\n`;
    expect(fastBlocks(source, splitLines(source))).toEqual(remarkBlocks(source));
  });
});
