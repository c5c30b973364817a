import { AdwError } from '../errors.js';
import type { GitRepo } from './git-repo.js';
import { gitEnvironment, gitFailure, gitMessage, runGit } from './run-git.js';

/** How pushing a section branch ended. */
export type PushResult =
  | { kind: 'pushed'; tip: string; merges: number }
  | { kind: 'conflict'; paths: string[] }
  | { kind: 'checked-out'; worktree: string };

const ATTEMPTS = 3;

// `git push --porcelain` prints one line per ref: FLAG TAB FROM:TO TAB SUMMARY; `!` = rejected.
function rejected(stdout: string): boolean {
  return stdout.split('\n').some((line) => line.startsWith('!\t'));
}

/**
 * Pushes branch `section` to `remote`. When the remote branch moved (someone pushed to it), the
 * push is rejected; then its tip is fetched into `refs/remotes/REMOTE/SECTION` and merged into the
 * local branch exactly as a task branch is (plumbing, compare-and-swap, no working tree touched),
 * and the push is tried again. Never a force push: a conflict is reported, nothing is lost.
 */
export async function pushSection(
  repo: GitRepo,
  remote: string,
  section: string,
  env: NodeJS.ProcessEnv = gitEnvironment(),
): Promise<PushResult> {
  if (remote.startsWith('-') || section.startsWith('-')) {
    throw new AdwError(
      'GIT_FAILED',
      `Expected a remote and a branch, got \`${remote}\` \`${section}\``,
    );
  }
  const ref = `refs/heads/${section}`;
  const tracking = `refs/remotes/${remote}/${section}`;
  let merges = 0;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const tip = await repo.resolveRef(ref);
    if (tip === null) throw new AdwError('GIT_FAILED', `Cannot push ${section}: no such branch`);
    let pushed;
    try {
      pushed = await runGit(repo.root, ['push', '--porcelain', remote, `${tip}:${ref}`], {
        env,
        okExitCodes: [1],
      });
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot push ${section} to ${remote}`, error);
    }
    if (pushed.exitCode === 0) {
      await runGit(repo.root, ['update-ref', tracking, tip], { env });
      return { kind: 'pushed', tip, merges };
    }
    if (!rejected(pushed.stdout)) {
      throw new AdwError(
        'GIT_FAILED',
        `Cannot push ${section} to ${remote}: ${gitMessage(pushed.stdout)}`,
      );
    }
    try {
      await runGit(repo.root, ['fetch', '--no-tags', remote, `+${ref}:${tracking}`], { env });
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot fetch ${section} from ${remote}`, error);
    }
    const merge = await repo.mergeIntoSection(section, tracking);
    if (merge.kind === 'conflict' || merge.kind === 'checked-out') return merge;
    merges++;
  }
  throw new AdwError(
    'GIT_FAILED',
    `Cannot push ${section} to ${remote}: the remote branch kept moving (${ATTEMPTS} attempts)`,
  );
}

/** The branch the remote's HEAD names (`main`), read with `ls-remote --symref`; null if none. */
export async function remoteDefaultBranch(
  root: string,
  remote: string,
  env: NodeJS.ProcessEnv = gitEnvironment(),
): Promise<string | null> {
  const { stdout } = await runGit(root, ['ls-remote', '--symref', remote, 'HEAD'], { env });
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout);
  return match?.[1] ?? null;
}
