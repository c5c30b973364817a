import { trimEndAt, trimStartAt } from './lines.js';
import { isTokenCharacter } from './marker.js';
import { isAfterTag } from './task-names.js';
import type { WorkflowRef } from './types.js';

/**
 * The tags of one description (SPEC §2.2), in order, as filled by scanTags: tag `i` is the word
 * from `starts[i]` up to `ends[i]` in the description (`strings` makes the list of them), in
 * brace group `groups[i]` (-1 for a `#word`); the caller sets `remove[i]` when the tag leaves the
 * prompt (see removeTags). Group `g` spans `groupStarts[g]` up to `groupEnds[g]`. One scan is
 * filled again for every line, and holds numbers only: 10,000 lines do not each allocate an
 * object per tag, nor a list grown tag by tag (a parse of named tasks allocates 30% less without
 * the objects). Entries past `count` and `groupCount` are left over from earlier lines.
 */
export class TagScan {
  count = 0;
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly groups: number[] = [];
  readonly remove: boolean[] = [];
  groupCount = 0;
  readonly groupStarts: number[] = [];
  readonly groupEnds: number[] = [];

  /** True when the caller took any tag out of the prompt. */
  removesAny(): boolean {
    for (let index = 0; index < this.count; index += 1)
      if (this.remove[index] === true) return true;
    return false;
  }

  /** The tags of `description` (the one scanned), as strings, in a list of their exact number. */
  strings(description: string): string[] {
    const tags = new Array<string>(this.count);
    for (let index = 0; index < this.count; index += 1)
      tags[index] = description.slice(this.starts[index] ?? 0, this.ends[index] ?? 0);
    return tags;
  }

  add(start: number, end: number, group: number): void {
    const at = this.count;
    this.starts[at] = start;
    this.ends[at] = end;
    this.groups[at] = group;
    this.remove[at] = false;
    this.count = at + 1;
  }
}

/**
 * Fills `scan` with the tags of a description (SPEC §2.2). `#word` needs start of text or
 * whitespace before it; trailing `.` and `:` are sentence punctuation, not part of the tag; a
 * purely numeric word (`#123`) is not a tag. A `{…}` is a tag group only when every item is a tag
 * word, so prose such as `{x: 1}` or `{see below}` stays prose. One pass from left to right, `#`
 * and `{` taken in the order they come: the tags come out in order.
 */
export function scanTags(description: string, scan: TagScan): void {
  scan.count = 0;
  scan.groupCount = 0;
  // Hand-written scans: this runs for every task line, and regexes over 10,000 lines show up.
  let hash = description.indexOf('#');
  let open = description.indexOf('{');
  while (hash !== -1 || open !== -1) {
    if (open === -1 || (hash !== -1 && hash < open)) {
      readHashTag(description, hash, scan);
      hash = description.indexOf('#', hash + 1);
      continue;
    }
    const close = description.indexOf('}', open + 1);
    if (close === -1) {
      open = -1;
      continue;
    }
    const nested = description.indexOf('{', open + 1);
    const isGroup = (nested === -1 || nested > close) && readGroup(description, open, close, scan);
    open = description.indexOf('{', isGroup ? close + 1 : open + 1);
  }
}

// The `#word` at `hash`, if it is a tag.
function readHashTag(description: string, hash: number, scan: TagScan): void {
  if (hash > 0 && !isSpace(description.charCodeAt(hash - 1))) return;
  let end = tagEnd(description, hash + 1);
  while (end > hash + 1 && isSentenceEnd(description.charCodeAt(end - 1))) end -= 1;
  if (end === hash + 1) return;
  if (!isNumeric(description, hash + 1, end)) scan.add(hash + 1, end, -1);
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

// /^\d+$/ on the word from `start` to `end` (not empty), read in place.
function isNumeric(description: string, start: number, end: number): boolean {
  for (let at = start; at < end; at += 1) {
    const code = description.charCodeAt(at);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0 || (code >= 10 && code <= 13) || code >= 0x2000;
}

// [A-Za-z0-9_.:-]
function isTagCharacter(code: number): boolean {
  return isTokenCharacter(code) || code === 46 || code === 58;
}

// /^[A-Za-z0-9_.:-]+$/ on the item from `start` to `end` (not empty), read in place.
function isTagWord(description: string, start: number, end: number): boolean {
  for (let at = start; at < end; at += 1)
    if (!isTagCharacter(description.charCodeAt(at))) return false;
  return true;
}

function isSentenceEnd(code: number): boolean {
  return code === 46 || code === 58;
}

// The items of the brace group from `open` to `close` added to `scan`, if every item is a tag
// word (else none, and false); `{after:a,b}` (no space after the comma) is one `after:` list.
function readGroup(description: string, open: number, close: number, scan: TagScan): boolean {
  const first = scan.count;
  const group = scan.groupCount;
  let previous = -1; // the scan entry of the item before, while it may go on over `,NAME`
  for (let from = open + 1; from <= close;) {
    const comma = description.indexOf(',', from);
    const end = comma === -1 || comma > close ? close : comma;
    const start = trimStartAt(description, from, end);
    const itemEnd = trimEndAt(description, start, end);
    if (start === itemEnd) previous = -1;
    else {
      if (!isTagWord(description, start, itemEnd)) {
        scan.count = first;
        return false;
      }
      const previousStart = scan.starts[previous] ?? 0;
      const previousEnd = scan.ends[previous] ?? 0;
      if (
        previous !== -1 &&
        start === from &&
        isAfterTag(description, previousStart, previousEnd)
      ) {
        // `after:a,b`: the item goes on over the comma, so the tag is the text from its start.
        scan.ends[previous] = itemEnd;
      } else {
        scan.add(start, itemEnd, group);
        previous = scan.count - 1;
      }
    }
    from = end + 1;
  }
  if (scan.count === first) return false;
  scan.groupStarts[group] = open;
  scan.groupEnds[group] = close + 1;
  scan.groupCount = group + 1;
  return true;
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
