/** What a `name:NAME` or `after:A,B` tag says, or null for any other tag. */
export type NameTag = { kind: 'name' | 'after'; names: string[] } | null;

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
 * Reads a `name:NAME` or `after:A,B` tag (the prefix in any case): the names it gives, as
 * written, or null when the tag is neither. Names are compared as written (case matters).
 */
export function readNameTag(tag: string): NameTag {
  const first = tag.charCodeAt(0) | 0x20;
  if (first !== 110 && first !== 97) return null; // n, a: most tags are neither
  const lower = tag.slice(0, 6).toLowerCase();
  if (lower.startsWith('name:')) return { kind: 'name', names: [tag.slice(5)] };
  if (lower === 'after:') return { kind: 'after', names: tag.slice(6).split(',') };
  return null;
}

/** True when `tag` starts with `after:` (any case): its name list may hold commas. */
export function isAfterTag(tag: string): boolean {
  return tag.length > 6 && tag.slice(0, 6).toLowerCase() === 'after:';
}
