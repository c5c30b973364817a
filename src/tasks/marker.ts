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
  return readTokens(
    status,
    tokens[0],
    tokens[1],
    tokens.length,
    /^\s*,/.test(rest),
    text,
    0,
    close,
  );
}

/**
 * readMarker of `text.slice(at, end)`, without slicing for the forms the daemon writes (`[]`,
 * `[ ]`, `[⏰]`, `[✅ HASH, ID]`, `[❌, ID]`, `[🟡, ID]`): every line of the file comes here, and
 * most of them are not markers or are one of these. Anything else goes to readMarker.
 */
export function readMarkerAt(text: string, at: number, end: number): MarkerRead {
  if (at >= end || text.charCodeAt(at) !== 91) return NONE;
  let close = at + 1;
  if (close < end && text.charCodeAt(close) === 32) close += 1;
  const first = close < end ? text.charCodeAt(close) : NaN;
  if (first === 93) return plain(text, close, end, close === at + 1 ? PENDING : PENDING_SPACED);
  if (first === 0x23f0 && close === at + 1 && text.charCodeAt(close + 1) === 93 && close + 1 < end)
    return plain(text, close + 1, end, BLOCKED);
  if (close === at + 1) {
    const status = first === 0x2705 ? 'done' : first === 0x274c ? 'failed' : null;
    if (status !== null) return withTokens(text, at, close + 1, end, status);
    if (first === 0xd83d && close + 1 < end && text.charCodeAt(close + 1) === 0xdfe1)
      return withTokens(text, at, close + 2, end, 'in_progress');
  }
  return readMarker(text.slice(at, end));
}

const PENDING: Marker = Object.freeze(marker('pending', 1, null, null));
const PENDING_SPACED: Marker = Object.freeze(marker('pending', 2, null, null));
const BLOCKED: Marker = Object.freeze(marker('blocked', 2, null, null));

// A marker without tokens whose `]` is at `close`, unless a link or definition follows it.
function plain(text: string, close: number, end: number, read: Marker): MarkerRead {
  const after = close + 1 < end ? text.charCodeAt(close + 1) : NaN;
  return after === 40 || after === 91 || after === 58 ? NONE : read;
}

// `[✅ HASH, ID]` and the like from `from` (after the emoji): at most two tokens of letters,
// digits, `_` and `-`, separated by spaces and commas; any other shape goes to readMarker.
// The tokens are kept in locals and the marker is sliced for a message only: this runs for every
// finished or failed task of the file.
function withTokens(
  text: string,
  at: number,
  from: number,
  end: number,
  status: TaskStatus,
): MarkerRead {
  let first: string | undefined;
  let second: string | undefined;
  let count = 0;
  let commaFirst = false;
  let start = -1;
  for (let index = from; index < end; index += 1) {
    const code = text.charCodeAt(index);
    const word = isTokenCharacter(code);
    if (word && start === -1) start = index;
    if (word) continue;
    if (start !== -1) {
      if (count === 0) first = text.slice(start, index);
      else if (count === 1) second = text.slice(start, index);
      count += 1;
    }
    start = -1;
    if (code === 44 && count === 0) commaFirst = true;
    else if (code === 93) {
      const after = index + 1 < end ? text.charCodeAt(index + 1) : NaN;
      if (after === 40 || after === 91 || after === 58) return NONE;
      if (count > 2) break;
      return readTokens(status, first, second, count, commaFirst, text, at, index - at);
    } else if (code !== 32 && code !== 44) break;
  }
  return readMarker(text.slice(at, end));
}

/** `[A-Za-z0-9_-]`: a character of a task ID or a commit hash in a marker, and of a tag. */
export function isTokenCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 45
  );
}

// The marker of `status` with its `count` tokens (the first two given), its `]` at `close`
// characters after `at` in `text`.
function readTokens(
  status: TaskStatus,
  first: string | undefined,
  second: string | undefined,
  count: number,
  commaFirst: boolean,
  text: string,
  at: number,
  close: number,
): MarkerRead {
  if (status === 'done' && count <= 2) {
    const hash = count === 2 || !commaFirst ? (first ?? null) : null;
    const id = count === 2 ? (second ?? null) : commaFirst ? (first ?? null) : null;
    if (hash !== null && !COMMIT_HASH.test(hash)) {
      const written = shown(text, at, close);
      return problem(
        'malformed-hash',
        `Expected a commit hash of 4 to 40 hex characters in \`${written}\`, got \`${hash}\``,
        written,
        ['a commit hash of 4 to 40 hex characters'],
        hash,
      );
    }
    return checkId(marker(status, close, hash, id), text, at);
  }
  if ((status === 'in_progress' || status === 'failed') && count <= 1) {
    return checkId(marker(status, close, null, first ?? null), text, at);
  }
  if (status === 'blocked' && count === 0) return marker(status, close, null, null);
  const written = shown(text, at, close);
  return problem('unknown-marker', `Unknown marker \`${written}\`; ${EXPECTED}`, written, FORMS);
}

// The marker as written, for a message: `[` at `at`, `]` at `close` characters after it.
function shown(text: string, at: number, close: number): string {
  return text.slice(at, at + close + 1);
}

function checkId(read: MarkerRead, text: string, at: number): MarkerRead {
  if (read.kind !== 'marker' || read.id === null || TASK_ID.test(read.id)) return read;
  const written = shown(text, at, read.length - 1);
  return problem(
    'unknown-marker',
    `Expected an ID of letters, digits, _ or - in \`${written}\`, got \`${read.id}\``,
    written,
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
