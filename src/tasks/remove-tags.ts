import type { TagScan } from './tags.js';

/**
 * The description with the tags flagged `remove` taken out: a `#tag` disappears, a brace group
 * keeps its other items (`{opus, urgent}` → `{urgent}`) or disappears when none is left. A
 * removal never leaves a stray space before punctuation or a doubled sentence end
 * (`done. {opus}. next` → `done. next`). Runs of spaces and tabs become one space; the ends are
 * trimmed.
 */
export function removeTags(description: string, scan: TagScan): string {
  if (!scan.removesAny()) return collapse(description);
  const rewrite = new Rewrite(description);
  // The tags are in order, and the items of a group side by side: the cuts come in order.
  for (let index = 0; index < scan.count;) {
    const group = scan.groups[index] ?? -1;
    if (group !== -1) index = cutGroup(rewrite, description, scan, index, group);
    else {
      // A `#word`: cut out with its `#`.
      if (scan.remove[index] === true)
        rewrite.cut((scan.starts[index] ?? 0) - 1, scan.ends[index] ?? 0, '');
      index += 1;
    }
  }
  return collapse(rewrite.finish());
}

// The group whose first item is tag `first`, rewritten with the items it keeps if it loses any
// (gone when none is left); returns the tag after its last item.
function cutGroup(
  rewrite: Rewrite,
  description: string,
  scan: TagScan,
  first: number,
  group: number,
): number {
  const kept: string[] = [];
  let removed = false;
  let index = first;
  for (; index < scan.count && scan.groups[index] === group; index += 1) {
    if (scan.remove[index] === true) removed = true;
    else kept.push(description.slice(scan.starts[index] ?? 0, scan.ends[index] ?? 0));
  }
  if (removed) {
    const text = kept.length === 0 ? '' : `{${kept.join(', ')}}`;
    rewrite.cut(scan.groupStarts[group] ?? 0, scan.groupEnds[group] ?? 0, text);
  }
  return index;
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
