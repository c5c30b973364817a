import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMarker } from '../../src/tasks/index.js';
import { readMarkerAt } from '../../src/tasks/marker.js';

const FE0F = '\uFE0F';

describe('readMarker', () => {
  it.each([
    ['[] x', 'pending', null, null, 2],
    ['[ ] x', 'pending', null, null, 3],
    ['[   ] x', 'pending', null, null, 5],
    ['[⏰] x', 'blocked', null, null, 3],
    [`[⏰${FE0F}] x`, 'blocked', null, null, 4],
    ['[ ⏰ ] x', 'blocked', null, null, 5],
    ['[🟡] x', 'in_progress', null, null, 4],
    [`[🟡${FE0F}] x`, 'in_progress', null, null, 5],
    ['[🟡, 1a2b3c4d] x', 'in_progress', null, '1a2b3c4d', 14],
    ['[🟡 1a2b3c4d] x', 'in_progress', null, '1a2b3c4d', 13],
    ['[🟡,,  my_id-2 ,] x', 'in_progress', null, 'my_id-2', 17],
    ['[✅] x', 'done', null, null, 3],
    [`[✅${FE0F}] x`, 'done', null, null, 4],
    ['[✅ 9f8e7d6c1] x', 'done', '9f8e7d6c1', null, 13],
    ['[✅, 5e6f7a8b] x', 'done', null, '5e6f7a8b', 13],
    ['[✅ 9f8e7d6c1, 5e6f7a8b] x', 'done', '9f8e7d6c1', '5e6f7a8b', 23],
    ['[✅ 9f8e7d6c1 5e6f7a8b] x', 'done', '9f8e7d6c1', '5e6f7a8b', 22],
    [`[ ✅${FE0F}  ABCD ,, id ] x`, 'done', 'ABCD', 'id', 18],
    ['[✅ ' + 'a'.repeat(40) + ', id] x', 'done', 'a'.repeat(40), 'id', 48],
    ['[❌] x', 'failed', null, null, 3],
    [`[❌${FE0F}, 0c1d2e3f] x`, 'failed', null, '0c1d2e3f', 14],
    ['[❌ 0c1d2e3f] x', 'failed', null, '0c1d2e3f', 12],
  ])('%j is %s with hash %j and ID %j', (text, status, hash, id, length) => {
    expect(readMarker(text)).toEqual({ kind: 'marker', status, manual: false, hash, id, length });
  });

  it.each(['[x] done', '[X] done', '[ x ] done'])('%j is done by hand', (text) => {
    expect(readMarker(text)).toMatchObject({ kind: 'marker', status: 'done', manual: true });
  });

  it.each([
    ['plain text', 'no bracket'],
    [' [] x', 'not at the start'],
    ['[text](https://example.com) x', 'a link'],
    ['[](https://example.com)', 'an empty link'],
    ['[text][ref] x', 'a reference link'],
    ['[ref]: https://example.com', 'a definition'],
    ['[note] something', 'a word in brackets'],
    ['[WIP] x', 'a tag in brackets'],
    ['[1] footnote', 'a number in brackets'],
    ['[-] x', 'punctuation in brackets'],
    ['[©] 2024', 'a text-style symbol'],
    ['[x, 1234] x', 'x with more'],
    ['[see ✅ below] x', 'an emoji later in the bracket'],
    ['[no closing bracket', 'prose without `]`'],
  ])('%j is not a marker (%s)', (text) => {
    expect(readMarker(text)).toEqual({ kind: 'none' });
  });

  it.each([
    ['[🟢] x', 'unknown-marker', 'Unknown marker `[🟢]`'],
    [`[⚠${FE0F}] x`, 'unknown-marker', 'Unknown marker'],
    ['[✅ zzz, id] x', 'malformed-hash', 'got `zzz`'],
    ['[✅ abc] x', 'malformed-hash', 'got `abc`'],
    ['[✅ ' + 'a'.repeat(41) + '] x', 'malformed-hash', '4 to 40 hex'],
    ['[✅ abcd, id!] x', 'unknown-marker', 'got `id!`'],
    ['[🟡, bad id!] x', 'unknown-marker', 'Unknown marker'],
    ['[🟡, id!] x', 'unknown-marker', 'Expected an ID of letters, digits, _ or -'],
    ['[❌, a, b] x', 'unknown-marker', 'Unknown marker'],
    ['[⏰, 1a2b3c4d] x', 'unknown-marker', 'Unknown marker'],
    ['[✅ abcd, id, more] x', 'unknown-marker', 'Unknown marker'],
    ['[✅ 9f8e7d6c1, 5e6f7a8b x', 'unknown-marker', 'has no closing `]`'],
  ])('%j is a %s problem', (text, rule, message) => {
    const read = readMarker(text);
    expect(read).toMatchObject({ kind: 'problem', rule });
    expect(read.kind === 'problem' ? read.message : '').toContain(message);
  });
});

// Pieces of markers, written and misspelt, for the in-place reader to meet.
const markerPiece = fc.constantFrom(
  '[',
  ']',
  ' ',
  ',',
  '\t',
  '⏰',
  '✅',
  '❌',
  '🟡',
  '🟢',
  FE0F,
  '\ud83d',
  'abcd',
  '9f8e7d6c1',
  'my_id-2',
  'x',
  'id!',
  '(',
  ':',
  '\n',
);

const markerHead = fc.constantFrom('', '[', '[ ', '[]', '[ ]', '[⏰', '[⏰]', '[✅', '[❌', '[🟡');

describe('readMarkerAt', () => {
  it('reads the line in place exactly as readMarker reads the slice', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(markerHead, fc.array(markerPiece, { maxLength: 10 }))
          .map(([head, parts]) => head + parts.join('')),
        fc.string({ maxLength: 3 }),
        fc.string({ maxLength: 3 }),
        (line, before, after) => {
          const text = before + line + after;
          const end = before.length + line.length;
          expect(readMarkerAt(text, before.length, end)).toEqual(readMarker(line));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    '[] x',
    '[ ] x',
    '[⏰] x',
    '[✅ abcd, id1] x',
    '[❌, id2] x',
    '[🟡, id3] x',
    '[](x)',
    '[ ]: x',
    '[⏰][a]',
    '[✅ abcd, id1](x)',
    '[❌ , a, b] x',
  ])('%j reads as readMarker reads it', (line) => {
    expect(readMarkerAt(`  ${line}\n[]`, 2, 2 + line.length)).toEqual(readMarker(line));
  });
});
