import { describe, expect, it } from 'vitest';
import { CONFLICTED_TASKS } from '../fixtures/conflicted-tasks.js';
import { claimTask, conflictMarkerLines, parseTasks } from '../../src/tasks/index.js';
import { options as OPTIONS } from './options.js';

const CONFLICTED = CONFLICTED_TASKS;

describe('conflictMarkerLines', () => {
  it.each([
    ['a merge conflict', CONFLICTED, [3, 5, 7]],
    ['CRLF line ends', CONFLICTED.replace(/\n/g, '\r\n'), [3, 5, 7]],
    [
      'diff3 style with a base part',
      '<<<<<<< ours\na\n||||||| base\nb\n=======\nc\n>>>>>>> theirs\n',
      [1, 3, 5, 7],
    ],
    ['a setext underline alone', 'Heading\n=======\n[] task\n', []],
    ['`=======` after a closed conflict', '<<<<<<< a\n>>>>>>> b\nHeading\n=======\n', [1, 2]],
    ['an opening marker alone', '[] x\n<<<<<<< HEAD\n[] y\n', [2]],
    ['a closing marker alone', '>>>>>>> theirs\n', [1]],
    ['eight characters are not a marker', '<<<<<<<< x\n>>>>>>>>\n', []],
    ['a marker inside a code block still counts', '```\n<<<<<<< HEAD\n```\n', [2]],
    ['a marker in the middle of a line is text', '[] compare <<<<<<< and >>>>>>>\n', []],
  ])('%s', (_name, text, lines) => {
    expect(conflictMarkerLines(text)).toEqual(lines);
  });
});

describe('parseTasks on a file in conflict', () => {
  it('reports one merge-conflict error per marker line and runs nothing', () => {
    const parsed = parseTasks(CONFLICTED, OPTIONS);
    const conflicts = parsed.diagnostics.filter((d) => d.rule === 'merge-conflict');
    expect(conflicts.map((d) => [d.line, d.severity])).toEqual([
      [3, 'error'],
      [5, 'error'],
      [7, 'error'],
    ]);
    expect(parsed.tasks.length).toBeGreaterThan(0);
    expect(parsed.tasks.filter((task) => task.runnable)).toEqual([]);
    const third = parsed.tasks.find((task) => task.description === 'Third')!;
    expect(claimTask(CONFLICTED, third, 'b1').ok).toBe(false);
  });

  it('runs the same tasks once the conflict is resolved', () => {
    const resolved = CONFLICTED.replace(/^(<<<<<<<|=======|>>>>>>>).*\n/gm, '').replace(
      '[] Second\n',
      '',
    );
    const parsed = parseTasks(resolved, OPTIONS);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.tasks.filter((task) => task.runnable).map((task) => task.description)).toEqual([
      'Third',
    ]);
  });
});
