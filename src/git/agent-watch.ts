import { relative, resolve, sep } from 'node:path';
import { HEADS, type GuardedTask } from './branch-guard.js';
import { firstForbidden } from './changed-paths.js';
import type { GitRepo } from './git-repo.js';
import { gitMessage } from './run-git.js';

/**
 * Keeps one task's agent to its branch: the branches are read before the agent runs, and each
 * check afterwards undoes what the agent did outside its branch (see branch-guard.ts). The first
 * reason found is kept: once a worktree was detached, later checks would only see that.
 */
export class AgentWatch {
  #reason: string | null = null;

  private constructor(
    private readonly repo: GitRepo,
    private readonly task: GuardedTask,
  ) {}

  /** Reads the branches as the daemon leaves them, before the agent starts. */
  static async start(repo: GitRepo, task: Omit<GuardedTask, 'before'>): Promise<AgentWatch> {
    return new AgentWatch(repo, { ...task, before: await repo.snapshotBranches() });
  }

  /**
   * Reads the branches while the task's branches are being made, so that the read does not wait
   * for them: `watch(made, at)` then takes each branch of `made` that the read did not see yet
   * (the task branch, a new section branch) at `at`, where it was made. Any other branch is read
   * as it was before the agent started, which is all the guard needs.
   */
  static early(
    repo: GitRepo,
    task: Omit<GuardedTask, 'before'>,
  ): (made: readonly string[], at: string) => Promise<AgentWatch> {
    const read = repo.snapshotBranches();
    // Awaited when the watch is made; a task whose worktree failed never makes it.
    read.catch(() => undefined);
    return async (made, at) => {
      const before = new Map(await read);
      for (const name of made)
        if (!before.has(`${HEADS}${name}`)) before.set(`${HEADS}${name}`, at);
      return new AgentWatch(repo, { ...task, before });
    };
  }

  /** Why the task fails because its agent left its branch or moved another one, or null. */
  async check(): Promise<string | null> {
    if (this.#reason !== null) return this.#reason;
    try {
      this.#reason = await this.repo.guardBranches(this.task);
    } catch (error) {
      this.#reason = `could not check the agent's branches: ${gitMessage(error)}`;
    }
    return this.#reason;
  }
}

/**
 * The first path a task branch changes (`base`..`tip`) that it must not: the tasks file (when it
 * is in the repository) or anything under `.adw/`. Null when there is none.
 */
export async function forbiddenChange(
  repo: GitRepo,
  base: string,
  tip: string,
  tasksFile: string,
): Promise<string | null> {
  const rel = relative(repo.root, resolve(repo.root, tasksFile));
  const inside = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
  const files = inside ? [rel.split(sep).join('/')] : [];
  return firstForbidden(await repo.changedPaths(base, tip), files, ['.adw']);
}
