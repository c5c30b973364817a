import { describe, expect, it } from 'vitest';
import { prBody } from '../../src/land/pr-body.js';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from '../tasks/options.js';

const TASKS = `## Git Worktree feat
[✅ 1a2b3c4d5, aaaa0001] Add a form
[❌, aaaa0002] Add a button // Failed: agent exited with code 1: no
[x] Done by hand
`;

describe('prBody', () => {
  const tasks = parseTasks(TASKS, options).tasks;
  const costs = new Map<string, number | null>([
    ['aaaa0001', 0.5],
    ['aaaa0002', 0.25],
  ]);

  it('lists every task with its commit or reason and cost, and the total', () => {
    expect(prBody('feat', tasks, costs, null)).toBe(
      [
        'Tasks of section `feat`:',
        '',
        '- ✅ Add a form (1a2b3c4d5) ($0.50)',
        '- ❌ Add a button: agent exited with code 1: no ($0.25)',
        '- ✅ Done by hand',
        '',
        'Total cost: $0.75',
        '',
      ].join('\n'),
    );
  });

  it('starts with the failing check and the tail of its output when the checks failed', () => {
    const body = prBody('feat', tasks, costs, {
      command: 'npm test',
      reason: 'check `npm test` exited with code 1: 2 failing',
      tail: 'line 1\n2 failing\n',
    });
    expect(
      body.startsWith(
        '**Section checks failed:** `npm test` (check `npm test` exited with code 1: 2 failing)\n\n```\nline 1\n2 failing\n```\n\nTasks of section `feat`:',
      ),
    ).toBe(true);
  });
});
