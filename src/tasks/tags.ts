import { isTokenCharacter } from './marker.js';
import { isAfterTag } from './task-names.js';
import type { WorkflowRef } from './types.js';

/** One tag found in a description, with where its text sits in the description. */
export interface TagToken {
  tag: string;
  /** Offset of the tag's word (after `#`, or the item inside `{…}`). */
  start: number;
  end: number;
  /** Index of the brace group holding it, or null for a `#word`. */
  group: number | null;
  /** Set by the caller: true when the tag is taken out of the prompt (see removeTags). */
  remove: boolean;
}

/** A `{a, b}` group of tags: its span in the description and its items. */
export interface TagGroup {
  start: number;
  end: number;
}

/** Every tag of a description, in order, and the brace groups they came from. */
export interface TagScan {
  tokens: readonly TagToken[];
  groups: readonly TagGroup[];
}

const TAG_WORD = /^[A-Za-z0-9_.:-]+$/;
const NONE: readonly never[] = Object.freeze([]);
const NO_TAGS: TagScan = Object.freeze({ tokens: NONE, groups: NONE });
const NUMERIC = /^\d+$/;

/**
 * Finds the tags of a description (SPEC §2.2). `#word` needs start of text or whitespace before
 * it; trailing `.` and `:` are sentence punctuation, not part of the tag; a purely numeric word
 * (`#123`) is not a tag. A `{…}` is a tag group only when every item is a tag word, so prose
 * such as `{x: 1}` or `{see below}` stays prose.
 */
export function scanTags(description: string): TagScan {
  // Most descriptions have at most a `#tag` or two; none at all allocates nothing.
  if (!description.includes('#') && !description.includes('{')) return NO_TAGS;
  // Lists made on the first item: most descriptions have one tag, or one group.
  let tokens: TagToken[] | null = null;
  let groups: TagGroup[] | null = null;
  let groupTokens: TagToken[] | null = null;
  // Hand-written scans: this runs for every task line, and regexes over 10,000 lines show up.
  for (
    let hash = description.indexOf('#');
    hash !== -1;
    hash = description.indexOf('#', hash + 1)
  ) {
    if (hash > 0 && !isSpace(description.charCodeAt(hash - 1))) continue;
    let end = tagEnd(description, hash + 1);
    while (end > hash + 1 && isSentenceEnd(description.charCodeAt(end - 1))) end -= 1;
    const tag = description.slice(hash + 1, end);
    if (tag === '' || isNumeric(tag)) continue;
    tokens = append(tokens, { tag, start: hash + 1, end, group: null, remove: false });
  }
  for (
    let open = description.indexOf('{');
    open !== -1;
    open = description.indexOf('{', open + 1)
  ) {
    const close = description.indexOf('}', open + 1);
    if (close === -1) break;
    const inner = description.slice(open + 1, close);
    if (inner.includes('{')) continue;
    const items = readGroup(inner, open + 1, groups?.length ?? 0);
    if (items === null) continue;
    groups = append(groups, { start: open, end: close + 1 });
    groupTokens = groupTokens === null ? items : groupTokens.concat(items);
    open = close;
  }
  if (groupTokens === null) return { tokens: tokens ?? NONE, groups: NONE };
  const all = tokens === null ? groupTokens : mergeByStart(tokens, groupTokens);
  return { tokens: all, groups: groups ?? NONE };
}

/** Two lists each in order of `start`, merged into one in that order. */
export function mergeByStart<T extends { start: number }>(a: readonly T[], b: readonly T[]): T[] {
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const left = a[i];
    const right = b[j];
    if (left !== undefined && (right === undefined || left.start < right.start)) {
      merged.push(left);
      i += 1;
    } else if (right !== undefined) {
      merged.push(right);
      j += 1;
    }
  }
  return merged;
}

function append<T>(list: T[] | null, item: T): T[] {
  if (list === null) return [item];
  list.push(item);
  return list;
}

// The end of the tag word starting at `start`; an `after:` list goes on over `,NAME`.
function tagEnd(description: string, start: number): number {
  let end = start;
  for (;;) {
    while (end < description.length && isTagCharacter(description.charCodeAt(end))) end += 1;
    if (description.charCodeAt(end) !== 44 || !isTagCharacter(description.charCodeAt(end + 1)))
      return end;
    if (!isAfterTag(description, start, end)) return end;
    end += 1;
  }
}

// /^\d+$/, tried only when the tag starts with a digit: most do not, and a regex test per tag shows.
function isNumeric(tag: string): boolean {
  const first = tag.charCodeAt(0);
  return first >= 48 && first <= 57 && NUMERIC.test(tag);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0 || (code >= 10 && code <= 13) || code >= 0x2000;
}

// [A-Za-z0-9_.:-]
function isTagCharacter(code: number): boolean {
  return isTokenCharacter(code) || code === 46 || code === 58;
}

function isSentenceEnd(code: number): boolean {
  return code === 46 || code === 58;
}

// The items of a brace group; `{after:a,b}` (no space after the comma) is one `after:` list.
function readGroup(inner: string, offset: number, group: number): TagToken[] | null {
  const items: TagToken[] = [];
  let position = 0;
  let previous: TagToken | null = null;
  for (const part of inner.split(',')) {
    const tag = part.trim();
    if (tag !== '') {
      if (!TAG_WORD.test(tag)) return null;
      const start = offset + position + part.indexOf(tag);
      if (previous !== null && part === part.trimStart() && isAfterTag(previous.tag)) {
        previous.tag = `${previous.tag},${tag}`;
        previous.end = start + tag.length;
      } else {
        previous = { tag, start, end: start + tag.length, group, remove: false };
        items.push(previous);
      }
    } else previous = null;
    position += part.length + 1;
  }
  return items.length === 0 ? null : items;
}

const MODELS = ['opus', 'sonnet', 'haiku'];

// tag.toLowerCase(), without a new string for a tag in lower case already (most are).
function lowerCase(tag: string): string {
  for (let index = 0; index < tag.length; index += 1) {
    const code = tag.charCodeAt(index);
    if ((code >= 65 && code <= 90) || code > 127) return tag.toLowerCase();
  }
  return tag;
}

/** The model tag's model (`opus`, `sonnet`, `haiku`, `model:NAME`), or null if `tag` is none. */
export function modelOfTag(tag: string): string | null {
  const lower = lowerCase(tag);
  if (MODELS.includes(lower)) return lower;
  if (lower.startsWith('model:') && tag.length > 6) return tag.slice(6);
  return null;
}

/** The model that wins among the models of a task's model tags: opus, then sonnet, then haiku, then the first `model:NAME`. */
export function pickModel(models: readonly string[], fallback: string): string {
  for (const name of MODELS) if (models.includes(name)) return name;
  return models[0] ?? fallback;
}

const BUILT_IN_WORKFLOW_TAGS = new Map([
  ['adw_build', 'build'],
  ['adw_build_update_task', 'build'],
  ['adw_plan_implement', 'plan-implement'],
  ['adw_plan_implement_update_task', 'plan-implement'],
]);

/** The workflow a tag selects (built-in `adw_*` tags, `workflow:NAME`, or a workflow's own tags). */
export function workflowOfTag(tag: string, workflows: readonly WorkflowRef[]): string | null {
  const lower = lowerCase(tag);
  const builtIn = BUILT_IN_WORKFLOW_TAGS.get(lower);
  if (builtIn !== undefined) return builtIn;
  if (lower.startsWith('workflow:') && tag.length > 9) return tag.slice(9);
  for (const workflow of workflows) {
    if (workflow.tags.some((own) => own.toLowerCase() === lower)) return workflow.name;
  }
  return null;
}
