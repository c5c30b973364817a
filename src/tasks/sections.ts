import type { HeadingBlock } from './blocks.js';
import { branchNameProblem } from './branch-name.js';
import type { Diagnostic } from './types.js';

/** A `Git Worktree NAME` heading: the section it starts and whether NAME is usable. */
export interface SectionStart {
  line: number;
  name: string;
  valid: boolean;
}

const WORKTREE_HEADING = /^git[ \t]+worktree(?:\s+([\s\S]*))?$/i;

/** The section a heading starts, or null for a decorative heading (`## To Do`). */
export function readSectionHeading(
  heading: HeadingBlock,
  diagnostics: Diagnostic[],
): SectionStart | null {
  const match = WORKTREE_HEADING.exec(heading.text.trim());
  if (match === null) return null;
  const name = (match[1] ?? '').trim();
  const problem = branchNameProblem(name);
  if (problem !== null) {
    diagnostics.push({
      rule: 'invalid-section-name',
      severity: 'error',
      line: heading.line,
      column: heading.column,
      message: `Section name \`${name}\` is not a valid git branch name: ${problem}`,
      expected: ['a valid git branch name'],
      actual: name,
    });
  }
  return { line: heading.line, name, valid: problem === null };
}
