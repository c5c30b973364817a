import type { Diagnostic } from './types.js';
import { withoutBom } from './bom.js';

// git's markers (conflict-marker-size 7): `<<<<<<< ours`, `||||||| base`, `=======`, `>>>>>>> theirs`.
const OPEN = /^<{7}(?:[ \t]|$)/;
const BASE = /^\|{7}(?:[ \t]|$)/;
const SPLIT = /^={7}[ \t]*$/;
const CLOSE = /^>{7}(?:[ \t]|$)/;

/**
 * The 1-based lines of git's conflict markers in `text`. `<<<<<<<` and `>>>>>>>` lines always
 * count; `=======` and `|||||||` only after an opening `<<<<<<<` (alone, `=======` is a setext
 * underline). Markdown structure does not matter: a file holding them is in conflict.
 */
export function conflictMarkerLines(text: string): number[] {
  const found: number[] = [];
  // Most files hold neither marker: skip the split.
  if (!text.includes('<<<<<<<') && !text.includes('>>>>>>>')) return found;
  let open = false;
  const body = withoutBom(text);
  // Line ends as CommonMark counts them (see lines.ts), so the numbers match the parser's.
  body.split(/\r\n|\n|\r/).forEach((line, index) => {
    if (OPEN.test(line)) open = true;
    else if (CLOSE.test(line)) open = false;
    else if (!open || !(SPLIT.test(line) || BASE.test(line))) return;
    found.push(index + 1);
  });
  return found;
}

/** One `merge-conflict` error per conflict marker line: a file in conflict runs nothing. */
export function conflictDiagnostics(text: string): Diagnostic[] {
  return conflictMarkerLines(text).map((line) => ({
    rule: 'merge-conflict',
    severity: 'error',
    line,
    column: 1,
    message: 'git conflict marker; resolve the merge of tasks.md before anything runs',
  }));
}
