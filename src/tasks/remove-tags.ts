import { mergeByStart, type TagScan, type TagToken } from './tags.js';

/**
 * The description with the tags flagged `remove` taken out: a `#tag` disappears, a brace group
 * keeps its other items (`{opus, urgent}` → `{urgent}`) or disappears when none is left. A
 * removal never leaves a stray space before punctuation or a doubled sentence end
 * (`done. {opus}. next` → `done. next`). Runs of spaces and tabs become one space; the ends are
 * trimmed.
 */
export function removeTags(description: string, scan: TagScan): string {
  if (!scan.tokens.some((token) => token.remove)) return collapse(description);
  const rewrite = new Rewrite(description);
  if (scan.groups.length === 0) {
    // Only `#word` tags, in order: each removed one is cut out where it stands.
    const { tokens } = scan;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index];
      if (token?.remove === true) rewrite.cut(token.start - 1, token.end, '');
    }
  } else {
    for (const edit of groupEdits(scan)) rewrite.cut(edit.start, edit.end, edit.text);
  }
  return collapse(rewrite.finish());
}

/**
 * A description rewritten from left to right: each cut replaces a span with `text`. Where a cut
 * leaves two runs of blanks side by side, the second is dropped as it is copied: the result then
 * only differs in the length of runs that `collapse` makes one space anyway, and it seldom has a
 * run left for collapse's regex to rewrite.
 */
class Rewrite {
  #out = '';
  #position = 0;
  #endsBlank = false;
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  cut(start: number, end: number, text: string): void {
    const source = this.#source;
    this.#copy(this.#position, start);
    let next = end;
    if (text === '' && isPunctuation(source.charCodeAt(end))) {
      this.#out = this.#out.trimEnd();
      this.#endsBlank = false;
      const out = this.#out;
      if (out === '' || isPunctuation(out.charCodeAt(out.length - 1))) next += 1;
    }
    if (text !== '') {
      this.#out += text;
      this.#endsBlank = isBlank(text.charCodeAt(text.length - 1));
    }
    this.#position = next;
  }

  finish(): string {
    this.#copy(this.#position, this.#source.length);
    return this.#out;
  }

  #copy(from: number, to: number): void {
    const source = this.#source;
    let start = from;
    if (this.#endsBlank) while (start < to && isBlank(source.charCodeAt(start))) start += 1;
    if (start >= to) return;
    this.#out += source.slice(start, to);
    this.#endsBlank = isBlank(source.charCodeAt(to - 1));
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

// The edits of a description with brace groups, in order: each removed `#word`, and each group
// that loses an item, rewritten with the items it keeps.
function groupEdits(scan: TagScan): Edit[] {
  const words: Edit[] = [];
  const groups: Edit[] = [];
  const kept: string[][] = scan.groups.map(() => []);
  const removed: number[] = scan.groups.map(() => 0);
  for (const token of scan.tokens) {
    if (token.group === null) {
      if (token.remove) words.push(cutOut(token));
    } else if (token.remove) {
      removed[token.group] = (removed[token.group] ?? 0) + 1;
    } else {
      kept[token.group]?.push(token.tag);
    }
  }
  scan.groups.forEach((group, index) => {
    if (removed[index] === 0) return;
    const items = kept[index] ?? [];
    const text = items.length === 0 ? '' : `{${items.join(', ')}}`;
    groups.push({ start: group.start, end: group.end, text });
  });
  return words.length === 0 ? groups : mergeByStart(words, groups);
}

function cutOut(token: TagToken): Edit {
  return { start: token.start - 1, end: token.end, text: '' };
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

// . , ; : ! ?
function isPunctuation(code: number): boolean {
  return code === 46 || code === 44 || code === 59 || code === 58 || code === 33 || code === 63;
}

function collapse(text: string): string {
  // Two searches rather than the regex /[ \t][ \t]|\t/, which allocated on every call (once per task).
  const hasBlankRun = text.includes('  ') || text.includes('\t');
  return (hasBlankRun ? text.replace(/[ \t]+/g, ' ') : text).trim();
}
