import type { GitRepo } from '../git/index.js';

/** Where the coordinator publishes a section's tip after each merge (with `onConflict: resolve`). */
export function sectionRefOf(section: string): string {
  return `refs/adw/sections/${section}`;
}

/**
 * `onConflict: "resolve"` on a worker: before the task's first merge into its section, the private
 * clone's section branch moves to the tip the coordinator last published (`refresh`). A conflict
 * with the tasks merged since the job began then shows on the worker, where the daemon's own
 * resolve code runs with the task's agent, instead of only at the coordinator, which runs none.
 */
export function mergeWithLatestSection(repo: GitRepo, refresh: () => Promise<void>): void {
  const merge = repo.mergeIntoSection.bind(repo);
  let refreshed = false;
  repo.mergeIntoSection = async (section, branch) => {
    if (!refreshed) {
      refreshed = true;
      await refresh();
    }
    return merge(section, branch);
  };
}
