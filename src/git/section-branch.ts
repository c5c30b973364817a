import { AdwError } from '../errors.js';
import { gitFailure, runGit } from './run-git.js';

/** What creating a section branch needs from the repository (run inside its queue). */
export interface SectionBranchContext {
  root: string;
  env: NodeJS.ProcessEnv;
  /** The commit a name names, or null. */
  resolveRef(ref: string): Promise<string | null>;
}

/**
 * The tip of section branch `section`, creating it at `baseRef` first if missing. Creation is
 * `update-ref REF SHA ''` (empty old value = "must not exist"), so when two daemons race, one
 * creates it and the other adopts the winner's branch instead of resetting it. Must run inside
 * the repository queue; `section` is a valid branch name.
 */
export async function ensureSectionBranch(
  context: SectionBranchContext,
  section: string,
  baseRef: string,
): Promise<string> {
  const ref = `refs/heads/${section}`;
  const existing = await context.resolveRef(ref);
  if (existing !== null) return existing;
  const base = await context.resolveRef(baseRef);
  if (base === null) {
    throw new AdwError(
      'GIT_FAILED',
      `Cannot create branch ${section}: baseRef \`${baseRef}\` does not name a commit in ${context.root}`,
    );
  }
  try {
    const args = ['update-ref', '-m', 'adw-trigger: section branch', ref, base, ''];
    await runGit(context.root, args, { env: context.env });
    return base;
  } catch (error) {
    const winner = await context.resolveRef(ref);
    if (winner !== null) return winner;
    throw gitFailure('GIT_FAILED', `Cannot create branch ${section}`, error);
  }
}
