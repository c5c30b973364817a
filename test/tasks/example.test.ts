import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { blockedReason, parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

describe('tasks.example.md', () => {
  it('parses without error diagnostics and shows every marker, both sections and the default one', async () => {
    const source = await readFile(new URL('../../tasks.example.md', import.meta.url), 'utf8');
    const file = parseTasks(source, options);
    expect(file.diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
    expect(new Set(file.tasks.map((task) => task.status))).toEqual(
      new Set(['pending', 'blocked', 'in_progress', 'done', 'failed']),
    );
    expect(new Set(file.tasks.map((task) => task.section))).toEqual(
      new Set(['adw', 'feature-auth', 'docs/readme']),
    );
    expect(file.tasks.some((task) => task.manual)).toBe(true);
    expect(file.tasks.some((task) => task.details.length > 0)).toBe(true);
    expect(file.tasks.some((task) => task.status === 'blocked' && task.blockedBy !== null)).toBe(
      true,
    );
    expect(file.tasks.every((task) => !task.text.includes('example, not a task'))).toBe(true);
    // A named dependency across sections: the docs task waits on the login form.
    const docs = file.tasks.find((task) => task.after.includes('login-form'));
    expect(docs).toMatchObject({ section: 'docs/readme', runnable: false });
    expect(docs && blockedReason(docs, file.tasks)).toBe('name login-form, [] pending');
  });
});
