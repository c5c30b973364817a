import { describe, expect, it } from 'vitest';
import {
  claimTask,
  claimTasks,
  completeTask,
  failTask,
  findTaskById,
  formatTaskId,
  parseTasks,
  resetTask,
  restoreClaim,
  sanitizeReason,
  type EditResult,
} from '../../src/tasks/index.js';
import { options } from './options.js';

function text(result: EditResult): string {
  if (!result.ok) throw new Error(`edit failed: ${result.reason}: ${result.message}`);
  return result.text;
}

function taskAt(source: string, line: number) {
  const task = parseTasks(source, options).tasks.find((candidate) => candidate.line === line);
  if (task === undefined) throw new Error(`no task on line ${line}`);
  return task;
}

const ID = '1a2b3c4d';

describe('claimTasks', () => {
  it('claims several lines with one call, each a compare-and-swap, every other byte kept', () => {
    const source = '# T\r\n[] one\r\n\r\n- [⏰] two\r\n[] three\r\n';
    const one = taskAt(source, 2);
    const two = taskAt(source, 4);
    const three = taskAt(source, 5);
    const result = claimTasks(source, [
      { task: three, id: 'cccc3333' },
      { task: one, id: 'aaaa1111' },
      { task: { line: 4, text: '- [⏰] two, edited' }, id: 'bbbb2222' },
      { task: one, id: 'dddd4444' },
    ]);
    expect(result.text).toBe(
      '# T\r\n[🟡, aaaa1111] one\r\n\r\n- [⏰] two\r\n[🟡, cccc3333] three\r\n',
    );
    expect(result.results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(result.results[2]).toMatchObject({ reason: 'changed' });
    // The same line twice in one batch is claimed once.
    expect(result.results[3]).toMatchObject({ reason: 'changed' });
    expect(two.status).toBe('blocked');
  });

  it('refuses a line past the end of the file', () => {
    const result = claimTasks('[] a\n', [{ task: { line: 9, text: '[] a' }, id: ID }]);
    expect(result).toEqual({
      text: '[] a\n',
      results: [{ ok: false, reason: 'changed', message: 'Line 9 changed since it was read' }],
    });
  });
});

describe('claimTask', () => {
  it.each([
    ['[] Add a login form\n', `[🟡, ${ID}] Add a login form\n`],
    ['[ ] spaced\n', `[🟡, ${ID}] spaced\n`],
    ['[⏰] blocked first\n', `[🟡, ${ID}] blocked first\n`],
    ['  - [ ]   keep   spacing  \n', `  - [🟡, ${ID}]   keep   spacing  \n`],
    ['\uFEFF[] bom\r\nnext\r\n', `\uFEFF[🟡, ${ID}] bom\r\nnext\r\n`],
    ['a\r[] cr only\rb', `a\r[🟡, ${ID}] cr only\rb`],
    ['[] no newline', `[🟡, ${ID}] no newline`],
  ])('%j becomes %j', (source, expected) => {
    const line = source.startsWith('a\r') ? 2 : 1;
    expect(text(claimTask(source, taskAt(source, line), ID))).toBe(expected);
  });

  it('refuses a line that changed since it was parsed, and one that is gone', () => {
    const source = '[] a\n[] b\n';
    const task = taskAt(source, 2);
    expect(claimTask('[] a\n[] b edited\n', task, ID)).toMatchObject({
      ok: false,
      reason: 'changed',
    });
    expect(claimTask('[] a\n', task, ID)).toEqual({
      ok: false,
      reason: 'changed',
      message: 'Line 2 changed since it was read',
    });
  });

  it('refuses a line that now sits in a code block, though its text is the same', () => {
    const task = taskAt('[] a\n[] b\n', 2);
    expect(claimTask('```\n[] b\n```\n', task, ID)).toEqual({
      ok: false,
      reason: 'changed',
      message: 'Line 2 is no longer a task',
    });
  });

  it('refuses a task with an error and a task that is not pending or blocked', () => {
    const withError = '[] a\n[] a #opus\n[🟡, 0000aaaa] b\n[🟡, 0000aaaa] dup\n';
    expect(claimTask('[] \n', { line: 1, text: '[] ' }, ID)).toMatchObject({
      reason: 'wrong-state',
    });
    expect(claimTask(withError, { line: 3, text: '[🟡, 0000aaaa] b' }, ID)).toMatchObject({
      ok: false,
      reason: 'wrong-state',
      message: 'Line 3 is in_progress, not pending or blocked',
    });
    expect(claimTask(withError, { line: 4, text: '[🟡, 0000aaaa] dup' }, ID)).toMatchObject({
      reason: 'wrong-state',
      message: 'Line 4 has an error; it is left alone',
    });
  });

  it('refuses an ID that tasks.md could not read back', () => {
    expect(() => claimTask('[] a\n', { line: 1, text: '[] a' }, 'bad id')).toThrow(RangeError);
  });
});

describe('restoreClaim', () => {
  const original = '[] one\n[] two\n';

  it('puts the marker back on the same line of an older copy', () => {
    expect(text(restoreClaim(original, { line: 2, text: '[] two' }, ID))).toBe(
      `[] one\n[🟡, ${ID}] two\n`,
    );
  });

  it('finds the line when lines were inserted above it', () => {
    expect(text(restoreClaim(`[] new\n${original}`, { line: 2, text: '[] two' }, ID))).toBe(
      `[] new\n[] one\n[🟡, ${ID}] two\n`,
    );
  });

  it('refuses when the ID is already in the file', () => {
    expect(restoreClaim(`[🟡, ${ID}] two\n`, { line: 1, text: '[] two' }, ID)).toEqual({
      ok: false,
      reason: 'wrong-state',
      message: `ID ${ID} is already on line 1`,
    });
  });

  it('refuses when no line or several lines match elsewhere', () => {
    expect(restoreClaim(original, { line: 2, text: '[] gone' }, ID)).toMatchObject({
      reason: 'not-found',
    });
    expect(restoreClaim('[] x\n[] two\n[] two\n', { line: 1, text: '[] two' }, ID)).toEqual({
      ok: false,
      reason: 'changed',
      message: 'Lines 2, 3 all read `[] two`; cannot tell which one was claimed',
    });
  });
});

describe('completeTask, failTask, resetTask', () => {
  const running = `# T\r\n- [🟡, ${ID}] do it // note\r\n  detail\r\n`;

  it('completes with the first 9 characters of the hash, lowercased', () => {
    expect(text(completeTask(running, ID, '3ECDEBB33ABCDEF0123456789abcdef012345678'))).toBe(
      `# T\r\n- [✅ 3ecdebb33, ${ID}] do it // note\r\n  detail\r\n`,
    );
    expect(() => completeTask(running, ID, 'xyz')).toThrow(RangeError);
  });

  it('fails by appending the reason, keeping a prior note, and reset removes exactly that', () => {
    const failed = text(failTask(running, ID, 'agent timed out\nafter 30m // really'));
    expect(failed).toBe(
      `# T\r\n- [❌, ${ID}] do it // note // Failed: agent timed out after 30m / really\r\n  detail\r\n`,
    );
    expect(parseTasks(failed, options).tasks[0]?.error).toBe('agent timed out after 30m / really');
    expect(text(resetTask(failed, ID))).toBe(`# T\r\n- [] do it // note\r\n  detail\r\n`);
  });

  it('resets an in-progress task to [] and keeps a trailing note that is not a failure', () => {
    expect(text(resetTask(running, ID))).toBe('# T\r\n- [] do it // note\r\n  detail\r\n');
    expect(text(resetTask(`[❌, ${ID}] x // hand note\n`, ID))).toBe('[] x // hand note\n');
  });

  it('refuses an unknown ID, a wrong state and a line with an error', () => {
    expect(completeTask('[] a\n', ID, 'abcd')).toEqual({
      ok: false,
      reason: 'not-found',
      message: `No task has ID ${ID}`,
    });
    expect(failTask(`[✅ abcd, ${ID}] a\n`, ID, 'x')).toEqual({
      ok: false,
      reason: 'wrong-state',
      message: `Line 1 (ID ${ID}) is done, not in_progress`,
    });
    expect(resetTask(`## Git Worktree bad name\n[❌, ${ID}] a\n`, ID)).toMatchObject({
      reason: 'wrong-state',
      message: `Line 2 (ID ${ID}) has an error; it is left alone`,
    });
  });

  it('edits a line whose workflow this caller does not know', () => {
    expect(text(completeTask(`[🟡, ${ID}] a #workflow:custom\n`, ID, 'abcd'))).toBe(
      `[✅ abcd, ${ID}] a #workflow:custom\n`,
    );
  });
});

describe('sanitizeReason', () => {
  it.each([
    ['line one\nline two\r\n\tthree', 'line one line two three'],
    ['  padded  ', 'padded'],
    ['a // b // c', 'a / b / c'],
    ['a // // b', 'a / / b'],
    ['nul\u0000bell\u0007', 'nul bell'],
    ['lone \ud800 surrogate', 'lone \ufffd surrogate'],
    ['', 'unknown error'],
    ['\n\t ', 'unknown error'],
  ])('%j becomes %j', (input, output) => {
    expect(sanitizeReason(input)).toBe(output);
  });

  it('cuts long reasons to 200 characters with an ellipsis, never splitting a pair', () => {
    const cut = sanitizeReason('x'.repeat(500));
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('x…')).toBe(true);
    const emoji = sanitizeReason(`${'x'.repeat(198)}${'🟡'.repeat(10)}`);
    expect(emoji.length).toBeLessThanOrEqual(200);
    expect(emoji).toBe(`${'x'.repeat(198)}…`);
  });
});

describe('task IDs', () => {
  it('formats 8 lowercase hex characters from the first 4 bytes', () => {
    expect(formatTaskId(new Uint8Array([0x1a, 0x2b, 0x03, 0xff, 0x99]))).toBe('1a2b03ff');
    expect(() => formatTaskId(new Uint8Array(3))).toThrow(
      'Expected at least 4 random bytes, got 3',
    );
  });

  it('finds the first task with an ID', () => {
    const file = parseTasks(`[🟡, ${ID}] a\n[❌, ${ID}] dup\n`, options);
    expect(findTaskById(file, ID)?.line).toBe(1);
    expect(findTaskById(file, 'other')).toBeUndefined();
  });
});
