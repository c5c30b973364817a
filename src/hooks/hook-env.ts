/** The facts about a task a hook may read, all passed as ADW_* environment variables. */
export interface HookTask {
  id: string;
  section: string;
  branch: string;
  worktree: string;
}

/** The environment of a hook: task data only as ADW_* variables, never in the script text. */
export function hookEnv(task: HookTask, repoRoot: string, hook: string): Record<string, string> {
  return {
    ADW_ID: task.id,
    ADW_SECTION: task.section,
    ADW_BRANCH: task.branch,
    ADW_WORKTREE: task.worktree,
    ADW_REPO: repoRoot,
    ADW_HOOK: hook,
  };
}
