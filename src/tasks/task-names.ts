// Letters, digits, `_`, `.` and `-`, starting with a letter or a digit: the characters of a tag
// word apart from `:` (which would read as another tag's prefix) and `,` (which separates names).
const TASK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What a name must look like, for messages. */
export const TASK_NAME_RULE = 'letters, digits, _ . and -, starting with a letter or a digit';

/** True when `name` is usable as a task name (`name:NAME`, `after:NAME`). */
export function isTaskName(name: string): boolean {
  return TASK_NAME.test(name);
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
