import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type PQueue from 'p-queue';
import { AdwError } from '../errors.js';
import { isValidBranchName } from '../tasks/index.js';
import {
  guardBranches,
  snapshotBranches,
  type BranchSnapshot,
  type GuardedTask,
} from './branch-guard.js';
import { changedPaths } from './changed-paths.js';
import { commitAll, worktreeStatus, type Committed } from './commit-all.js';
import { folderPattern, writeDaemonBlock } from './exclude-block.js';
import { mergeIntoSection, type MergeResult } from './merge-into-section.js';
import { removeWorktree } from './remove-worktree.js';
import { ensureSectionBranch } from './section-branch.js';
import { queueFor, runWorktreeGit } from './repo-queue.js';
import { failureLines, gitFailure, runGit, type RunOptions } from './run-git.js';
import { CommitLookup } from './look-up-commits.js';
import {
  assertWorktreeDir,
  worktreeDirPath,
  worktreeDirProblem,
  type WorktreeDirContext,
} from './worktree-dir.js';
import { isHalfWrittenEntry, parseWorktreeList, type WorktreeInfo } from './worktree-list.js';

// How long a listing waits, at the most, between asking again (10, 20, … ms: about 0.6 s in all).
const MAX_LIST_WAIT_MS = 320;

// A ref or revision given as an argument must not be read by git as an option.
function assertRevision(value: string, what: string): void {
  if (value === '' || value.startsWith('-')) {
    throw new AdwError('GIT_FAILED', `Expected ${what} to be a git revision, got \`${value}\``);
  }
}

/** A git repository: the daemon's only way to touch branches, worktrees and commits. */
export class GitRepo {
  readonly #queue: PQueue;
  readonly #env: NodeJS.ProcessEnv;
  readonly #commits: CommitLookup;

  constructor(
    /** The top of the work tree (`git rev-parse --show-toplevel`). */
    readonly root: string,
    /** The git dir shared by all worktrees (refs, objects, `worktrees/`). */
    readonly commonDir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.#env = env;
    this.#queue = queueFor(commonDir);
    this.#commits = new CommitLookup(root, env);
  }

  #git(args: string[], options: Partial<RunOptions> & { cwd?: string } = {}) {
    return runGit(options.cwd ?? this.root, args, { env: this.#env, ...options });
  }

  // Everything that creates, removes or lists worktrees or moves a ref (see repo-queue.ts).
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.add(fn);
  }

  // `git worktree ARGS`, holding the worktree lock other processes take too (inside #serial).
  #worktreeGit(args: string[]) {
    return runWorktreeGit(this, this.#env, args);
  }

  /**
   * Makes git ignore the daemon's folders: the worktree folder (after checking it is one only the
   * daemon uses, see worktree-dir.ts) and `.adw/`. Only the daemon's own block of
   * `.git/info/exclude` is written (see exclude-block.ts); the user's lines stay as they are.
   * `extra`: more patterns of the daemon's own (the `linkDirs` links it makes in worktrees).
   */
  async excludeDaemonFolders(worktreeDir: string, extra: readonly string[] = []): Promise<void> {
    await this.assertWorktreeDir(worktreeDir);
    const path = worktreeDirPath(this.root, worktreeDir) ?? worktreeDir;
    // The exclude file is shared by every worktree: it lives in the common git dir, where
    // `git rev-parse --git-path info/exclude` finds it too (a test compares the two).
    const file = join(this.commonDir, 'info', 'exclude');
    await this.#serial(() => writeDaemonBlock(file, [folderPattern(path), '/.adw/', ...extra]));
  }

  /** Throws CONFIG_INVALID when `dir` cannot be the daemon's worktree folder. */
  async assertWorktreeDir(dir: string): Promise<void> {
    await assertWorktreeDir(this.#worktreeDirContext(), dir);
  }

  /** Why `dir` cannot be the daemon's worktree folder, or null when it can. */
  async worktreeDirProblem(dir: string): Promise<string | null> {
    return worktreeDirProblem(this.#worktreeDirContext(), dir);
  }

  #worktreeDirContext(): WorktreeDirContext {
    return {
      root: this.root,
      env: this.#env,
      worktreePaths: async () => {
        const trees = await this.listWorktrees();
        return Promise.all(trees.map((tree) => realpath(tree.path).catch(() => tree.path)));
      },
    };
  }

  /** Every local branch and its commit, to compare with after an agent ran. */
  async snapshotBranches(): Promise<BranchSnapshot> {
    return snapshotBranches({ root: this.root, env: this.#env });
  }

  /** Undoes an agent's moves outside its branch; the reason its task fails, or null (see branch-guard.ts). */
  async guardBranches(task: GuardedTask): Promise<string | null> {
    return this.#serial(() =>
      guardBranches(
        { root: this.root, env: this.#env },
        {
          ...task,
          worktree: resolve(this.root, task.worktree),
        },
      ),
    );
  }

  /** The hashes among `hashes` that name no commit here (one git process for all). */
  async unknownCommits(hashes: readonly string[]): Promise<Set<string>> {
    return this.#commits.unknown(hashes);
  }

  /** The repository-relative paths that differ between commits `base` and `tip`. */
  async changedPaths(base: string, tip: string): Promise<string[]> {
    assertRevision(base, 'the base');
    assertRevision(tip, 'the tip');
    try {
      return await changedPaths(this.root, this.#env, base, tip);
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot compare ${base} with ${tip}`, error);
    }
  }

  /** The full sha of the commit `ref` names, or null. */
  async resolveRef(ref: string): Promise<string | null> {
    const [commit = null] = await this.#commits.lookUp([ref]);
    return commit;
  }

  /** The tip of section branch `section`, created at `baseRef` first if missing (section-branch.ts). */
  async ensureSectionBranch(section: string, baseRef: string): Promise<string> {
    // git's own rules, in memory (test/tasks/branch-name.test.ts compares them with git's).
    if (!isValidBranchName(section)) {
      throw new AdwError('GIT_FAILED', `Section name \`${section}\` is not a valid branch name`);
    }
    const context = {
      root: this.root,
      env: this.#env,
      resolveRef: (ref: string) => this.resolveRef(ref),
    };
    return this.#serial(() => ensureSectionBranch(context, section, baseRef));
  }

  /**
   * Checks out new branch `branch` at `startPoint` in a new worktree at `path`. The daemon picks
   * fresh IDs; an existing path or branch means something is wrong, and reusing either could mix
   * two tasks' work, so both are refused.
   */
  async addWorktree(path: string, branch: string, startPoint: string): Promise<void> {
    const target = resolve(this.root, path);
    const doing = `Cannot create worktree ${target} (branch ${branch})`;
    assertRevision(startPoint, 'the start point');
    await this.#serial(async () => {
      if (existsSync(target))
        throw new AdwError('WORKTREE_FAILED', `${doing}: the path already exists`);
      // No check that the branch is new: `-b` refuses an existing branch itself, before creating
      // anything.
      try {
        await this.#worktreeGit(['add', '--no-track', '-b', branch, target, startPoint]);
      } catch (error) {
        throw new AdwError('WORKTREE_FAILED', `${doing}: ${failureLines(error)}`, {
          cause: error,
        });
      }
    });
  }

  /**
   * Stages everything in `worktree` and commits it (message, blank line, `Key: value` trailers):
   * the commit made (null when there is nothing to commit) and the worktree's HEAD. Not queued:
   * it only touches that worktree's own index and HEAD branch (a ref no other task shares,
   * updated under git's per-ref lock) and adds objects, which git writes atomically. The agent
   * runs git in its worktree the same way.
   */
  async commitAll(
    worktree: string,
    message: string,
    trailers: Record<string, string>,
  ): Promise<Committed> {
    return commitAll(resolve(this.root, worktree), this.#env, message, trailers);
  }

  /** How many commits `tip` has that `base` does not (`git rev-list --count base..tip`). */
  async commitsSince(base: string, tip: string): Promise<number> {
    assertRevision(base, 'the base');
    assertRevision(tip, 'the tip');
    try {
      const { stdout } = await this.#git(['rev-list', '--count', `${base}..${tip}`]);
      return Number(stdout.trim());
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot count commits ${base}..${tip}`, error);
    }
  }

  /** Merges `taskBranch` into branch `section` without touching any working tree. */
  async mergeIntoSection(section: string, taskBranch: string): Promise<MergeResult> {
    assertRevision(section, 'the section branch');
    assertRevision(taskBranch, 'the task branch');
    return this.#serial(() =>
      mergeIntoSection(
        {
          root: this.root,
          env: this.#env,
          lookUpCommits: (names) => this.#commits.lookUp(names),
          listWorktrees: () => this.#listWorktrees(),
        },
        section,
        taskBranch,
      ),
    );
  }

  /** Whether `worktree` has uncommitted changes or untracked files. */
  async isDirty(worktree: string): Promise<boolean> {
    const cwd = resolve(this.root, worktree);
    try {
      return (await worktreeStatus(cwd, this.#env)).entries.length > 0;
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot read the status of ${cwd}`, error);
    }
  }

  /** Removes a clean linked worktree (its branch stays); refuses one that would lose work. */
  async removeWorktree(path: string): Promise<void> {
    await this.#serial(() =>
      removeWorktree(
        {
          root: this.root,
          worktreeGit: (args) => this.#worktreeGit(args),
          listWorktrees: () => this.#listWorktrees(),
          isDirty: (worktree) => this.isDirty(worktree),
          branchContains: (sha) => this.branchContains(sha),
        },
        resolve(this.root, path),
      ),
    );
  }

  /** Every worktree of the repository, the main one first. */
  async listWorktrees(): Promise<WorktreeInfo[]> {
    return this.#serial(() => this.#listWorktrees());
  }

  async #listWorktrees(): Promise<WorktreeInfo[]> {
    // Our own processes write entries under the worktree lock, but a person's `git worktree add`
    // takes no lock of ours: a listing that dies on its half-written entry is asked again.
    for (let wait = 10; ; wait *= 2) {
      try {
        const { stdout } = await this.#worktreeGit(['list', '--porcelain', '-z']);
        return parseWorktreeList(stdout);
      } catch (error) {
        if (wait > MAX_LIST_WAIT_MS || !isHalfWrittenEntry(error)) throw error;
        await sleep(wait);
      }
    }
  }

  /** Whether the commit `sha` is reachable from any local branch. */
  async branchContains(sha: string): Promise<boolean> {
    const commit = await this.resolveRef(sha);
    if (commit === null) return false;
    const { stdout } = await this.#git([
      'for-each-ref',
      '--count=1',
      '--contains',
      commit,
      '--format=%(refname)',
      'refs/heads/',
    ]);
    return stdout.trim() !== '';
  }

  /** Forgets worktrees whose directories were deleted (`git worktree prune`). */
  async prune(): Promise<void> {
    await this.#serial(() => this.#worktreeGit(['prune']));
  }
}
