import type { TaskStatus } from './types.js';
import { COMMIT_HASH, TASK_ID } from './task-id.js';

/** What the bracket at the start of a line's text is: nothing, a status marker, or a bad marker. */
export type MarkerRead =
  | { kind: 'none' }
  | {
      kind: 'marker';
      status: TaskStatus;
      manual: boolean;
      hash: string | null;
      id: string | null;
      /** Length of the marker `[…]` in UTF-16 code units. */
      length: number;
    }
  | {
      kind: 'problem';
      rule: 'unknown-marker' | 'malformed-hash';
      message: string;
      /** Length of the bad marker in UTF-16 code units. */
      length: number;
      expected: readonly string[];
      actual: string;
    };

const NONE: MarkerRead = { kind: 'none' };
const STATUS_BY_EMOJI = new Map<string, TaskStatus>([
  ['\u23F0', 'blocked'],
  ['\u{1F7E1}', 'in_progress'],
  ['\u2705', 'done'],
  ['\u274C', 'failed'],
]);
// An emoji shown as emoji: by default, or because U+FE0F asks for it (⚠️).
const EMOJI_START = /^(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)/u;
const FORMS = ['[]', '[ ]', '[⏰]', '[🟡, ID]', '[✅ HASH, ID]', '[❌, ID]', '[x]'];
const EXPECTED = `expected one of ${FORMS.join(', ')}`;

/**
 * Reads the marker at the start of `text` (the line from its first non-blank character, after
 * any list bullet). The rule for brackets that are not markers:
 * - a link `[a](b)`, a reference `[a][b]` or a definition `[a]: b` is never a marker;
 * - `[]`, `[ ]`, `[x]`, `[X]` (any spaces inside) are markers;
 * - a bracket whose content starts with an emoji (⏰ 🟡 ✅ ❌, or any other such as 🟢) is meant as a
 *   marker: if it is not one of the valid forms it is a problem (`unknown-marker`, or
 *   `malformed-hash` for a bad commit hash), and the line is not a task;
 * - any other bracket (`[note] text`, `[WIP]`, `[1]`) is prose.
 */
export function readMarker(text: string): MarkerRead {
  if (text.charCodeAt(0) !== 91) return NONE;
  const close = text.indexOf(']');
  const after = close === -1 ? '' : text.charAt(close + 1);
  if (after === '(' || after === '[' || after === ':') return NONE;
  const body = (close === -1 ? text.slice(1) : text.slice(1, close)).trim();
  if (close !== -1 && body === '') return marker('pending', close, null, null);
  if (close !== -1 && (body === 'x' || body === 'X')) {
    return { ...marker('done', close, null, null), manual: true };
  }
  const emoji = EMOJI_START.exec(body)?.[0];
  if (emoji === undefined) return NONE;
  const shown = close === -1 ? text : text.slice(0, close + 1);
  if (close === -1)
    return problem('unknown-marker', `Marker \`${shown}\` has no closing \`]\``, shown, FORMS);
  const symbol = String.fromCodePoint(emoji.codePointAt(0) ?? 0);
  const status = STATUS_BY_EMOJI.get(symbol);
  if (status === undefined)
    return problem('unknown-marker', `Unknown marker \`${shown}\`; ${EXPECTED}`, shown, FORMS);
  const rest = body.slice(symbol.length).replace(/^\uFE0F/, '');
  const tokens = rest.split(/[\s,]+/).filter((token) => token !== '');
  return readTokens(status, tokens, /^\s*,/.test(rest), shown, close);
}

function readTokens(
  status: TaskStatus,
  tokens: string[],
  commaFirst: boolean,
  shown: string,
  close: number,
): MarkerRead {
  const [first, second] = tokens;
  if (status === 'done' && tokens.length <= 2) {
    const hash = tokens.length === 2 || !commaFirst ? (first ?? null) : null;
    const id = tokens.length === 2 ? (second ?? null) : commaFirst ? (first ?? null) : null;
    if (hash !== null && !COMMIT_HASH.test(hash)) {
      return problem(
        'malformed-hash',
        `Expected a commit hash of 4 to 40 hex characters in \`${shown}\`, got \`${hash}\``,
        shown,
        ['a commit hash of 4 to 40 hex characters'],
        hash,
      );
    }
    return checkId(marker(status, close, hash, id), shown);
  }
  if ((status === 'in_progress' || status === 'failed') && tokens.length <= 1) {
    return checkId(marker(status, close, null, first ?? null), shown);
  }
  if (status === 'blocked' && tokens.length === 0) return marker(status, close, null, null);
  return problem('unknown-marker', `Unknown marker \`${shown}\`; ${EXPECTED}`, shown, FORMS);
}

function checkId(read: MarkerRead, shown: string): MarkerRead {
  if (read.kind !== 'marker' || read.id === null || TASK_ID.test(read.id)) return read;
  return problem(
    'unknown-marker',
    `Expected an ID of letters, digits, _ or - in \`${shown}\`, got \`${read.id}\``,
    shown,
    ['an ID of letters, digits, _ or -'],
    read.id,
  );
}

type Marker = Extract<MarkerRead, { kind: 'marker' }>;

function marker(status: TaskStatus, close: number, hash: string | null, id: string | null): Marker {
  return { kind: 'marker', status, manual: false, hash, id, length: close + 1 };
}

function problem(
  rule: 'unknown-marker' | 'malformed-hash',
  message: string,
  shown: string,
  expected: readonly string[],
  actual: string = shown,
): MarkerRead {
  return { kind: 'problem', rule, message, length: shown.length, expected, actual };
}
