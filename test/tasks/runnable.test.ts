import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

function verdicts(source: string): string[] {
  return parseTasks(source, options).tasks.map(
    (task) => `${task.line}:${task.runnable ? 'run' : 'wait'}:${task.blockedBy ?? '-'}`,
  );
}

describe('runnable and blockedBy', () => {
  it.each([
    [
      'pending runs at once, even below unfinished work',
      '[🟡, a1] x\n[] y\n',
      ['1:wait:-', '2:run:-'],
    ],
    [
      'blocked runs when everything above is done',
      '[✅ abcd, a1] x\n[x] y\n[⏰] z\n',
      ['1:wait:-', '2:wait:-', '3:run:-'],
    ],
    ['blocked first in its section runs', '[⏰] z\n', ['1:run:-']],
    ['blocked waits for a pending task above', '[] x\n[⏰] y\n', ['1:run:-', '2:wait:1']],
    [
      'blocked waits for a failed task above',
      '[✅] w\n[❌, a1] x\n[⏰] y\n',
      ['1:wait:-', '2:wait:-', '3:wait:2'],
    ],
    [
      'blocked waits for the first unfinished task',
      '[🟡, a1] x\n[] y\n[⏰] z\n',
      ['1:wait:-', '2:run:-', '3:wait:1'],
    ],
    ['a blocked task blocks the next one', '[⏰] x\n[⏰] y\n', ['1:run:-', '2:wait:1']],
    [
      'sections block independently',
      '## Git Worktree a\n[] x\n## Git Worktree b\n[⏰] y\n## Git Worktree a\n[⏰] z\n',
      ['2:run:-', '4:run:-', '6:wait:2'],
    ],
    [
      'a task with an error keeps waiting tasks waiting, unless it is done',
      '[] x #workflow:nope\n[⏰] y\n',
      ['1:wait:-', '2:wait:1'],
    ],
    [
      'a done task with an error does not block',
      '[✅, d1] x\n[✅, d1] dup\n[⏰] y\n',
      ['1:wait:-', '2:wait:-', '3:run:-'],
    ],
    ['a blocked task with an error never runs', '[⏰] #opus\n', ['1:wait:-']],
  ])('%s', (_name, source, expected) => {
    expect(verdicts(source)).toEqual(expected);
  });
});
