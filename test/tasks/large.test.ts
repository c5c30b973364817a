import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

describe('large files', () => {
  it('parses a 50 MB tasks.md without crashing', () => {
    const detail = `  ${'detail words '.repeat(12)}\n`;
    const block = `## Git Worktree big\n[] a task #opus\n${detail.repeat(40)}[⏰] blocked {adw_build}\n- [x] done\n\n`;
    const source = block.repeat(Math.ceil((50 * 1024 * 1024) / block.length));
    const file = parseTasks(source, options);
    expect(file.tasks.length).toBe((source.length / block.length) * 3);
    expect(file.tasks.at(-2)).toMatchObject({ status: 'blocked', blockedBy: 2, runnable: false });
  });

  it('parses a file that needs the full markdown parser', () => {
    const block = '```\n[] not a task\n```\n> quote\n\n[] a task\n\n';
    const source = block.repeat(1000);
    expect(parseTasks(source, options).tasks.length).toBe(1000);
  });
});
