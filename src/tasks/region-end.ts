import { isAtxHeading, isPlainStart, listItemContent, opensParagraph } from './line-kinds.js';
import { skipBlanks, type LineTable } from './lines.js';

// What may still be open at the top level of the document after a line: only a fenced code block
// and HTML blocks of kinds 1-5 run past a blank line followed by a line at column 0. Kinds 6-7
// end at the next blank line. Containers (quotes, list items) close at such a line anyway.
type Open =
  | { kind: 'none' }
  | { kind: 'fence'; char: string; length: number }
  | { kind: 'html'; end: RegExp }
  | { kind: 'html-until-blank' };

const NONE: Open = { kind: 'none' };
const UNTIL_BLANK: Open = { kind: 'html-until-blank' };
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HTML_STARTS: readonly (readonly [RegExp, RegExp])[] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];
const HTML_OTHER = /^ {0,3}</;

/**
 * Where a region that needs the full CommonMark reader, starting with the line at `hard` (0-based),
 * can end: the first line at or after `minEnd` that starts a block of its own at column 0 while no
 * fence or HTML block is open, or the line count.
 * It errs on the long side: the caller checks with remark that the line really starts afresh.
 */
export function regionEnd(source: string, lines: LineTable, hard: number, minEnd: number): number {
  const { starts, ends } = lines;
  let open = NONE;
  let previousBlank = false;
  for (let index = hard; index < starts.length; index += 1) {
    const start = starts[index] ?? 0;
    const end = ends[index] ?? 0;
    const content = skipBlanks(source, start, end);
    const blank = content === end;
    if (
      index >= minEnd &&
      open.kind === 'none' &&
      content === start &&
      !blank &&
      startsAfresh(source, start, end, previousBlank)
    ) {
      return index;
    }
    open = blank
      ? open.kind === 'html-until-blank'
        ? NONE
        : open
      : advance(open, source, start, end);
    previousBlank = blank;
  }
  return starts.length;
}

// A line the line reader reads itself that starts a block of its own: an ATX heading, a bullet
// item of plain text, or plain text after a blank line. Other lines (`- ` alone, `[a]:`) can read
// differently depending on what precedes them, so a region never ends at them.
function startsAfresh(source: string, start: number, end: number, afterBlank: boolean): boolean {
  if (isAtxHeading(source, start, end)) return true;
  const item = listItemContent(source, start, end);
  if (item !== null) return opensParagraph(source, item, end);
  return afterBlank && isPlainStart(source, start, end) && opensParagraph(source, start, end);
}

function advance(open: Open, source: string, start: number, end: number): Open {
  const text = source.slice(start, end);
  if (open.kind === 'fence') return closesFence(text, open.char, open.length) ? NONE : open;
  if (open.kind === 'html') return open.end.test(text) ? NONE : open;
  if (open.kind === 'html-until-blank') return open;
  const fence = FENCE.exec(text);
  const run = fence?.[1];
  if (run !== undefined && !(run.startsWith('`') && (fence?.[2] ?? '').includes('`'))) {
    return { kind: 'fence', char: run.charAt(0), length: run.length };
  }
  for (const [opener, closer] of HTML_STARTS) {
    const match = opener.exec(text);
    if (match === null) continue;
    // The end may be on the opening line itself, e.g. `<!-- note -->`.
    return closer.test(text.slice(match[0].length - 2)) ? NONE : { kind: 'html', end: closer };
  }
  return HTML_OTHER.test(text) ? UNTIL_BLANK : NONE;
}

function closesFence(text: string, char: string, length: number): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
  const run = match?.[1];
  return run !== undefined && run.charAt(0) === char && run.length >= length;
}
