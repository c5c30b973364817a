import { claimTasks, parseTasks } from '../tasks/index.js';
import type { ParseOptions, Task } from '../tasks/index.js';

/** A task this daemon has claimed: its ID and the line as it was before the claim. */
export interface Claim {
  id: string;
  line: number;
  /** The line's text before the claim: what an editor's stale copy would show. */
  originalText: string;
  task: Task;
}

/**
 * Claims up to `limit` runnable tasks of `text`, top down (a 🟡 means an agent is on it or about
 * to be, so only free slots are claimed): each claim is a compare-and-swap on the line (it still
 * reads as it did when parsed). The caller holds the tasks-file lock, so the text is current.
 */
export function claimRunnable(
  text: string,
  options: ParseOptions,
  newId: (taken: ReadonlySet<string>) => string,
  limit: number,
): { text: string; claims: Claim[] } {
  if (limit <= 0) return { text, claims: [] };
  const file = parseTasks(text, options);
  const taken = new Set(file.tasks.flatMap((task) => (task.id === null ? [] : [task.id])));
  const wanted = file.tasks
    .filter((task) => task.runnable)
    .slice(0, limit)
    .map((task) => {
      const id = newId(taken);
      taken.add(id);
      return { task, id };
    });
  const result = claimTasks(text, wanted);
  const claims = wanted.flatMap(({ task, id }, index) =>
    result.results[index]?.ok === true
      ? [{ id, line: task.line, originalText: task.text, task: { ...task, id } }]
      : [],
  );
  return { text: result.text, claims };
}
