import { claimTasks, parseTasks, restoreClaim } from '../tasks/index.js';
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
 * Puts back the 🟡 marker of every claim whose line the file no longer shows in progress: an
 * editor that saved an older copy of the file must not make a running task look pending (it
 * would be claimed and run twice). Returns the new text and the IDs it restored.
 */
export function restoreMarkers(
  text: string,
  options: ParseOptions,
  claims: Iterable<Claim>,
): { text: string; restored: string[] } {
  const inProgress = new Set(
    parseTasks(text, options)
      .tasks.filter((task) => task.status === 'in_progress' && task.id !== null)
      .map((task) => task.id),
  );
  const restored: string[] = [];
  for (const claim of claims) {
    if (inProgress.has(claim.id)) continue;
    const result = restoreClaim(text, { line: claim.line, text: claim.originalText }, claim.id);
    if (result.ok) {
      text = result.text;
      restored.push(claim.id);
    }
  }
  return { text, restored };
}

/**
 * Claims every runnable task of `text`: each claim is a compare-and-swap on the line (it still
 * reads as it did when parsed). The caller holds the tasks-file lock, so the text is current.
 */
export function claimRunnable(
  text: string,
  options: ParseOptions,
  newId: (taken: ReadonlySet<string>) => string,
): { text: string; claims: Claim[] } {
  const file = parseTasks(text, options);
  const taken = new Set(file.tasks.flatMap((task) => (task.id === null ? [] : [task.id])));
  const wanted = file.tasks
    .filter((task) => task.runnable)
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
