import { readTasksFile } from '../store/index.js';
import { parseTasks } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import type { DaemonEvents } from './events.js';

/**
 * Announces `section.done` when a task this daemon finished leaves its section with every task
 * done. A finished task is looked at in the file at its `task.done` and after each scan
 * (`file.changed`) until its line shows ✅: the scan writing it may come before or after the
 * event. A line gone or not done after all is not waited for; a section finished only by hand
 * is not announced. Returns the stop function.
 */
export function announceSectionsDone(
  events: DaemonEvents,
  tasksPath: string,
  parseOptions: ParseOptions,
): () => Promise<void> {
  /** Finished tasks whose ✅ is not in the file yet: id → section. */
  const waiting = new Map<string, string>();
  let checking: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    if (waiting.size === 0) return;
    let text: string;
    try {
      text = (await readTasksFile(tasksPath)).text;
    } catch {
      return;
    }
    const { tasks } = parseTasks(text, parseOptions);
    const shown = new Map(tasks.map((task) => [task.id, task]));
    const finished = new Set<string>();
    for (const [id, section] of waiting) {
      const task = shown.get(id);
      // Not written yet, or a stale copy hid it until its marker is put back.
      if (task?.status === 'in_progress' || task?.status === 'pending') continue;
      waiting.delete(id);
      if (task?.status === 'done') finished.add(section);
    }
    for (const section of finished) {
      const own = tasks.filter((task) => task.section === section);
      if (own.every((task) => task.status === 'done')) {
        events.emit({ type: 'section.done', section, tasks: own.length });
      }
    }
  };
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'task.done') waiting.set(event.id, event.section);
    // One check at a time, in order; a file that cannot be read now is read at the next scan.
    if ((event.type === 'task.done' || event.type === 'file.changed') && waiting.size > 0) {
      checking = checking.then(check);
    }
  });
  // Stopping lets a check under way announce its sections before the listeners go away.
  return async () => {
    unsubscribe();
    await checking;
  };
}
