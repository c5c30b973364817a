import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createDaemonEvents } from '../../src/daemon/index.js';
import type { DaemonEvent } from '../../src/daemon/index.js';
import { announceSectionsDone } from '../../src/daemon/section-done.js';
import { tempDir } from '../helpers/temp.js';
import { options as OPTIONS } from '../tasks/options.js';

// `section.done` from the daemon's own events and the real tasks file, in any order the scans
// and the outcomes come in.

const RUNNING = '## Git Worktree docs\n[🟡, d1] Write the docs\n\n## Git Worktree api\n[] Api\n';
const DONE = '## Git Worktree docs\n[✅ abcd, d1] Write the docs\n\n## Git Worktree api\n[] Api\n';

function taskDone(id: string, section: string): DaemonEvent {
  const times = { commit: 'abcd', costUsd: null, durationMs: null };
  return { type: 'task.done', id, section, description: 'Write the docs', ...times };
}

async function announcer(text: string) {
  const tasksPath = join(await tempDir('adw-section-done-'), 'tasks.md');
  await writeFile(tasksPath, text);
  const events = createDaemonEvents();
  const seen: DaemonEvent[] = [];
  events.subscribe((event) => {
    if (event.type === 'section.done') seen.push(event);
  });
  const stop = announceSectionsDone(events, tasksPath, OPTIONS);
  return { tasksPath, events, seen, stop };
}

it('announces a section whose outcome a scan wrote before the task.done event came', async () => {
  const { events, seen, stop } = await announcer(DONE);
  // A scan started by another task wrote the ✅ first; the next scan finds the file unchanged.
  events.emit({ type: 'file.changed' });
  events.emit(taskDone('d1', 'docs'));
  await stop();
  expect(seen).toMatchObject([{ type: 'section.done', section: 'docs', tasks: 1 }]);
});

it('waits for the scan that writes the outcome, then announces the section once', async () => {
  const { tasksPath, events, seen, stop } = await announcer(RUNNING);
  events.emit(taskDone('d1', 'docs'));
  events.emit({ type: 'file.changed' });
  await writeFile(tasksPath, DONE);
  events.emit({ type: 'file.changed' });
  events.emit({ type: 'file.changed' });
  await stop();
  expect(seen).toMatchObject([{ type: 'section.done', section: 'docs', tasks: 1 }]);
});

it('does not announce a section with a task left, nor one whose line was deleted', async () => {
  const text = '## Git Worktree docs\n[✅ abcd, d1] Write the docs\n[] More docs\n';
  const { tasksPath, events, seen, stop } = await announcer(text);
  events.emit(taskDone('d1', 'docs'));
  events.emit({ type: 'file.changed' });
  await writeFile(tasksPath, '## Git Worktree docs\n[x] More docs\n');
  events.emit(taskDone('gone', 'docs'));
  events.emit({ type: 'file.changed' });
  await stop();
  // Done by hand is done; the deleted line's task leaves nothing to wait for.
  expect(seen).toEqual([]);
});
