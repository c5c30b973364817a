import { readTasksFile } from '../store/index.js';
import { parseTasks } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import type { DaemonEvents } from './events.js';

/**
 * Announces `section.done` when a task this daemon finished leaves its section with every task
 * done. Looked at after the next scan of the file (`file.changed`), which comes after the outcome
 * was written; a section finished only by hand is not announced. Returns the stop function.
 */
export function announceSectionsDone(
  events: DaemonEvents,
  tasksPath: string,
  parseOptions: ParseOptions,
): () => Promise<void> {
  const candidates = new Set<string>();
  let checking: Promise<void> = Promise.resolve();
  const check = async (): Promise<void> => {
    if (candidates.size === 0) return;
    const sections = [...candidates];
    candidates.clear();
    let text: string;
    try {
      text = (await readTasksFile(tasksPath)).text;
    } catch {
      for (const section of sections) candidates.add(section);
      return;
    }
    const { tasks } = parseTasks(text, parseOptions);
    for (const section of sections) {
      const own = tasks.filter((task) => task.section === section);
      if (own.length > 0 && own.every((task) => task.status === 'done')) {
        events.emit({ type: 'section.done', section, tasks: own.length });
      }
    }
  };
  const unsubscribe = events.subscribe((event) => {
    if (event.type === 'task.done') candidates.add(event.section);
    // One check at a time, in order; a file that cannot be read now is read at the next scan.
    if (event.type === 'file.changed' && candidates.size > 0) checking = checking.then(check);
  });
  // Stopping lets a check under way announce its sections before the listeners go away.
  return async () => {
    unsubscribe();
    await checking;
  };
}
