import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { claimTask, failTask, parseTasks, resetTask, completeTask } from '../../src/tasks/index.js';
import { parseTasksWith } from '../../src/tasks/parse.js';
import { options } from './options.js';

const markdownish = fc.constantFrom(
  '[] ',
  '[ ] ',
  '[⏰] ',
  '[🟡, a1] ',
  '[✅ abcd, b2] ',
  '[❌, c3] ',
  '[x] ',
  '[🟢] ',
  '- ',
  '  ',
  '    ',
  '# ',
  '## Git Worktree ',
  '```',
  '> ',
  '<!-- ',
  '-->',
  '---',
  '{opus, adw_build}',
  '#sonnet',
  ' // ',
  'Failed: ',
  '\uFEFF',
  '\uFE0F',
  '\u0000',
  '\ud800',
  '\r\n',
  '\r',
  '\n',
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(fc.oneof(markdownish, fc.string({ maxLength: 5 })), { maxLength: 60 })
    .map((parts) => parts.join('')),
);

describe('parseTasks never throws', () => {
  it('on any string, and both structure readers agree', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        const auto = parseTasks(source, options);
        expect(
          parseTasksWith(source, options, {
            engine: 'remark',
            checkWorkflows: true,
            checkDependencies: true,
          }),
        ).toEqual(auto);
      }),
      { numRuns: 2000 },
    );
  });
});

// A tasks.md built from pending lines and noise around them, with a random line ending.
const taskLine = fc
  .tuple(
    fc.constantFrom('', '- ', '  * ', '1. '),
    fc.constantFrom('[]', '[ ]', '[  ]', '[⏰]', '[⏰\uFE0F]'),
    fc.constantFrom(' a', ' b #opus', ' c // note', '  d  ', ' e {sonnet, x}', ' f // Failed: old'),
  )
  .map(([bullet, marker, rest]) => bullet + marker + rest);
const otherLine = fc.constantFrom(
  '',
  '# Title',
  '## Git Worktree feat',
  'prose',
  '  detail',
  '[✅ abcd, done1] done',
  '```',
  '[] in code?',
  '```',
  '> [] quoted',
);
const fileArb = fc
  .tuple(
    fc.array(fc.oneof(taskLine, otherLine), { minLength: 1, maxLength: 25 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
  )
  .map(
    ([lines, eol, bom, trailing]) =>
      (bom ? '\uFEFF' : '') + lines.join(eol) + (trailing ? eol : ''),
  );

function lines(source: string): string[] {
  return source.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

function onlyLineChanged(before: string, after: string, line: number): void {
  expect(after.startsWith('\uFEFF')).toBe(before.startsWith('\uFEFF'));
  expect(after.match(/\r\n|\r|\n/g) ?? []).toEqual(before.match(/\r\n|\r|\n/g) ?? []);
  const old = lines(before);
  const now = lines(after);
  old.forEach((text, index) => {
    if (index !== line - 1) expect(now[index]).toBe(text);
  });
}

describe('edits change exactly one line', () => {
  it('claim, complete, fail and reset touch only the task line; claim → fail → reset gives the line back with []', () => {
    let edited = 0;
    fc.assert(
      fc.property(fileArb, fc.nat(), (source, pick) => {
        const runnable = parseTasks(source, options).tasks.filter(
          (task) => !task.hasError && task.status !== 'done',
        );
        const task = runnable[pick % Math.max(runnable.length, 1)];
        if (task === undefined) return;
        edited += 1;
        const id = 'f00dbabe';
        const claimed = claimTask(source, task, id);
        if (!claimed.ok) throw new Error(claimed.message);
        onlyLineChanged(source, claimed.text, task.line);
        const done = completeTask(claimed.text, id, '0123456789abcdef');
        if (!done.ok) throw new Error(done.message);
        onlyLineChanged(source, done.text, task.line);
        const failed = failTask(claimed.text, id, 'boom\nbang');
        if (!failed.ok) throw new Error(failed.message);
        onlyLineChanged(source, failed.text, task.line);
        const reset = resetTask(failed.text, id);
        if (!reset.ok) throw new Error(reset.message);
        onlyLineChanged(source, reset.text, task.line);
        const start = task.column - 1;
        const markerLength = task.text.indexOf(']', start) + 1 - start;
        const expected = `${task.text.slice(0, start)}[]${task.text.slice(start + markerLength)}`;
        expect(lines(reset.text)[task.line - 1]).toBe(expected);
        // A [] line resets to itself: the whole file comes back byte for byte.
        if (task.text.slice(start, start + 2) === '[]') expect(reset.text).toBe(source);
      }),
      { numRuns: 1500 },
    );
    expect(edited).toBeGreaterThan(500);
  });
});
