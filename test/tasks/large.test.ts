import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

describe('large files', () => {
  it('parses a 50 MB tasks.md without crashing', () => {
    const block = '## Git Worktree big\n[] a task #opus\n  a detail\n[⏰] blocked {adw_build}\n- [x] done\n\n';
    const source = block.repeat(Math.ceil((50 * 1024 * 1024) / block.length));
    const file = parseTasks(source, options);
    expect(file.tasks.length).toBe((source.length / block.length) * 3);
    expect(file.tasks.at(-2)).toMatchObject({ status: 'blocked', blockedBy: 2, runnable: false });
  });

  it('parses a 2 MB file that needs the full markdown parser', () => {
    const block = '```\n[] not a task\n```\n> quote\n[] a task\n\n';
    const source = block.repeat(Math.ceil((2 * 1024 * 1024) / block.length));
    expect(parseTasks(source, options).tasks.length).toBe(source.length / block.length);
  });
});
