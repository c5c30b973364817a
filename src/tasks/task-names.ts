import { isTokenCharacter } from './marker.js';

/** What a name must look like, for messages. */
export const TASK_NAME_RULE = 'letters, digits, _ . and -, starting with a letter or a digit';

/**
 * True when `name` is usable as a task name (`name:NAME`, `after:NAME`):
 * /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, the characters of a tag word apart from `:` (which would read
 * as another tag's prefix) and `,` (which separates names). Read character by character rather
 * than with the regex: this runs for every name of every task.
 */
export function isTaskName(name: string): boolean {
  const first = name.charCodeAt(0);
  if (!isTokenCharacter(first) || first === 95 || first === 45) return false;
  for (let index = 1; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (!isTokenCharacter(code) && code !== 46) return false;
  }
  return true;
}

/**
 * Which of `name:NAME` and `after:A,B` the tag is (its prefix in any case), or null for any
 * other tag. Character by character: this runs for every tag of every task.
 */
export function nameTagKind(tag: string): 'name' | 'after' | null {
  if (hasPrefix(tag, 'name:')) return 'name';
  if (hasPrefix(tag, 'after:')) return 'after';
  return null;
}

/**
 * True when the tag `text.slice(start, end)` (all of `text` by default) starts with `after:` (any
 * case) and has more: its name list may hold commas.
 */
export function isAfterTag(text: string, start = 0, end = text.length): boolean {
  return end - start > 6 && hasPrefix(text, 'after:', start);
}

// `prefix` is lower case; ASCII letters of the text at `start` compare in any case.
function hasPrefix(tag: string, prefix: string, start = 0): boolean {
  if (tag.length - start < prefix.length) return false;
  for (let index = 0; index < prefix.length; index += 1) {
    const code = tag.charCodeAt(start + index);
    const lower = code >= 65 && code <= 90 ? code + 32 : code;
    if (lower !== prefix.charCodeAt(index)) return false;
  }
  return true;
}
