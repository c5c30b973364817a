// Git's refname rules (refs.c check_refname_format), applied to `refs/heads/NAME` the way
// `git check-ref-format --branch NAME` does: what makes a section name usable as a branch.
const BAD_CHARACTERS = new Set([' ', '~', '^', ':', '?', '*', '[', '\\']);

/** Why `name` is not a valid git branch name, or null when it is. */
export function branchNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name.startsWith('-')) return 'it starts with "-"';
  if (name === 'HEAD') return 'it is "HEAD"';
  if (name.endsWith('.')) return 'it ends with "."';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  for (const character of name) {
    const code = character.charCodeAt(0);
    if (code < 32 || code === 127) return 'it contains a control character';
    if (BAD_CHARACTERS.has(character)) return `it contains "${character}"`;
  }
  for (const component of name.split('/')) {
    if (component === '')
      return 'it has an empty path component (a leading, trailing or double "/")';
    if (component.startsWith('.')) return `its component "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `its component "${component}" ends with ".lock"`;
  }
  return null;
}

/** True when `git check-ref-format --branch name` would accept `name`. */
export function isValidBranchName(name: string): boolean {
  return branchNameProblem(name) === null;
}
