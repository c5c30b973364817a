import { describe, expect, it } from 'vitest';
import { blockedReason, completeTask, parseTasks, planTaskWaves } from '../../src/tasks/index.js';
import { options } from './options.js';

function rules(source: string): string[] {
  return parseTasks(source, options).diagnostics.map(
    (d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`,
  );
}

function verdicts(source: string): string[] {
  return parseTasks(source, options).tasks.map(
    (task) =>
      `${task.line}:${task.runnable ? 'run' : 'wait'}:${task.blockedBy ?? '-'}${task.hasError ? ':error' : ''}`,
  );
}

describe('dependency diagnostics', () => {
  it.each([
    ['a name with a colon', '[] x #name:a:b\n', ['1:7 error invalid-task-name']],
    ['a name starting with a dash', '[] x #after:-a\n', ['1:7 error invalid-task-name']],
    ['an empty after: in braces', '[] x {after:}\n', ['1:7 error invalid-task-name']],
    ['two names on one task', '[] x #name:a #name:b\n', ['1:15 error duplicate-name']],
    ['a name on two lines', '[] x #name:a\n[] y #name:a\n', ['2:7 error duplicate-name']],
    [
      'a name on a done line and a pending one',
      '[✅ abcd, d1] x #name:a\n[] y #name:a\n',
      ['2:7 error duplicate-name'],
    ],
    ['an after: no task has', '[] x #after:ghost\n', ['1:7 error unknown-dependency']],
    ['an unknown name on a done line is history', '[✅ abcd, d1] x #after:ghost\n', []],
    ['an unknown name on a running line', '[🟡, r1] x #after:ghost\n', []],
    ['a task waiting on itself', '[] x #name:a #after:a\n', ['1:1 error dependency-cycle']],
    ['two tasks', '[] x #name:a #after:b\n[] y #name:b #after:a\n', ['1:1 error dependency-cycle']],
    [
      'three tasks across sections',
      '## Git Worktree one\n[] x #name:a #after:c\n## Git Worktree two\n[] y #name:b #after:a\n[] z #name:c #after:b\n',
      ['2:1 error dependency-cycle'],
    ],
    ['after: and [⏰]', '[] x #name:a #after:b\n[⏰] y #name:b\n', ['1:1 error dependency-cycle']],
    ['no cycle once a task of it is done', '[x] x #name:a #after:b\n[] y #name:b #after:a\n', []],
    ['no cycle through a failed task', '[❌, f1] x #name:a #after:b\n[] y #name:b #after:a\n', []],
    ['a chain is no cycle', '[] x #name:a\n[] y #name:b #after:a\n[⏰] z #after:b\n', []],
  ])('%s', (_name, source, expected) => {
    expect(rules(source)).toEqual(expected);
  });

  it('names every line of a cycle, in the order they wait, and the lines caught in the same knot', () => {
    const source = [
      '## Git Worktree one',
      '[] A #name:a #after:b',
      '[] B #name:b #after:c',
      '## Git Worktree two',
      '[] C #name:c #after:a,d',
      '[] D #name:d #after:c',
      '[] E waits on the cycle #after:a',
      '',
    ].join('\n');
    const { diagnostics, tasks } = parseTasks(source, options);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).toBe(
      'Tasks wait on each other: line 2 waits on line 3 (after:b), line 3 waits on line 5 (after:c), line 5 waits on line 2 (after:a); line 6 is caught in it too; none of them can start',
    );
    expect(tasks.map((task) => [task.line, task.hasError])).toEqual([
      [2, true],
      [3, true],
      [5, true],
      [6, true],
      [7, false],
    ]);
    // A task waiting on the cycle waits, naming the line; it is not an error itself.
    expect(tasks[4]).toMatchObject({ runnable: false, blockedBy: 2 });
    expect(tasks[4] && blockedReason(tasks[4], tasks)).toBe('name a, [] pending, has an error');
  });

  it('finds a cycle of 10,000 tasks, and plans a chain of 10,000, without deep recursion', () => {
    const count = 10_000;
    const chain = Array.from(
      { length: count },
      (_, index) => `[] T${index} #name:t${index}${index > 0 ? ` #after:t${index - 1}` : ''}\n`,
    ).join('');
    const planned = planTaskWaves(parseTasks(chain, options).tasks);
    expect(planned.waves).toHaveLength(count);
    expect(planned.waves[count - 1]?.[0]?.line).toBe(count);

    const cycle = chain.replace('[] T0 #name:t0\n', `[] T0 #name:t0 #after:t${count - 1}\n`);
    const { diagnostics, tasks } = parseTasks(cycle, options);
    expect(diagnostics.map((d) => d.rule)).toEqual(['dependency-cycle']);
    expect(diagnostics[0]?.message.match(/waits on line/g)).toHaveLength(count);
    expect(tasks.every((task) => task.hasError)).toBe(true);
  });
});

describe('runnable with after:', () => {
  it.each([
    ['waits on a pending task', '[] x #name:a\n[] y #after:a\n', ['1:run:-', '2:wait:1']],
    ['runs once it is ✅', '[✅ abcd, d1] x #name:a\n[] y #after:a\n', ['1:wait:-', '2:run:-']],
    ['runs once it is [x]', '[x] x #name:a\n[] y #after:a\n', ['1:wait:-', '2:run:-']],
    ['waits on a later line', '[] y #after:a\n[🟡, r1] x #name:a\n', ['1:wait:2', '2:wait:-']],
    [
      'waits on a failed task, without failing or erring',
      '[❌, f1] x #name:a // Failed: no\n[] y #after:a\n',
      ['1:wait:-', '2:wait:1'],
    ],
    [
      'waits on every task it names, the first unfinished one shown',
      '[x] x #name:a\n[] y #name:b\n[] z #after:a,b\n',
      ['1:wait:-', '2:run:-', '3:wait:2'],
    ],
    [
      'waits on every line that carries a duplicated name',
      '[x] x #name:a\n[] y #name:a\n[] z #after:a\n',
      ['1:wait:-', '2:wait:-:error', '3:wait:2'],
    ],
    [
      'across sections',
      '## Git Worktree one\n[] x #name:a\n## Git Worktree two\n[] y #after:a\n',
      ['2:run:-', '4:wait:2'],
    ],
    [
      '[⏰] with after: waits for the lines above first',
      '[] w\n[x] x #name:a\n[⏰] y #after:a\n',
      ['1:run:-', '2:wait:-', '3:wait:1'],
    ],
    [
      '[⏰] with after: then waits for its names',
      '[✅ abcd, d1] w\n[] x #name:a\n[⏰] y #after:a\n',
      ['1:wait:-', '2:run:-', '3:wait:2'],
    ],
    [
      '[⏰] with after: runs when both are done',
      '[x] w\n## Git Worktree two\n[x] x #name:a\n## Git Worktree adw\n[⏰] y #after:a\n',
      ['1:wait:-', '3:wait:-', '5:run:-'],
    ],
    ['an unknown name never runs', '[] y #after:ghost\n', ['1:wait:-:error']],
  ])('%s', (_name, source, expected) => {
    expect(verdicts(source)).toEqual(expected);
  });

  it('says why: the name and the state of the task it waits on', () => {
    const source = '[❌, f1] x #name:build-api // Failed: no\n[] y #after:build-api\n[⏰] z\n';
    const { tasks } = parseTasks(source, options);
    const reasons = tasks.map((task) => blockedReason(task, tasks));
    expect(reasons).toEqual([
      null,
      'name build-api, ❌ failed',
      'above it in section adw, ❌ failed',
    ]);
  });

  it('never stops the outcome of a running task from being written', () => {
    // The running line's name is taken by a line above it, and it waits on a name nobody has.
    const source = '[x] x #name:a\n[🟡, r1] y #name:a #after:ghost\n';
    expect(rules(source)).toEqual(['2:13 error duplicate-name']);
    const done = completeTask(source, 'r1', 'abcdef1234');
    expect(done).toEqual({
      ok: true,
      text: '[x] x #name:a\n[✅ abcdef123, r1] y #name:a #after:ghost\n',
    });
  });
});
