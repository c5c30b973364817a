import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/daemon/reconcile.js';
import type { RunRecord, RunStatus } from '../../src/runs/index.js';
import { conflictMarkerLines } from '../../src/tasks/index.js';
import { deadPid, runRecordOf } from '../helpers/run-records.js';
import { options as OPTIONS } from '../tasks/options.js';

const HASH = '9f8e7d6c1b2a';
const DEAD_PID = deadPid();

function record(
  id: string,
  status: RunStatus,
  claimText: string,
  extra: Partial<RunRecord> = {},
): RunRecord {
  return runRecordOf({
    id,
    status,
    claimText,
    claimLine: 3,
    startedAt: '2026-01-01T00:00:00.000Z',
    commit: status === 'done' ? HASH : null,
    error: status === 'failed' ? 'agent made no changes' : null,
    daemonPid: DEAD_PID,
    ...extra,
  });
}

describe('reconcile', () => {
  it.each([
    [
      'a stale [] of a done run',
      '[] Add a form\n',
      'done',
      '[✅ 9f8e7d6c1, aaaa1111] Add a form\n',
    ],
    [
      'a stale [⏰] of a running run',
      '[⏰] Add a form\n',
      'running',
      '[🟡, aaaa1111] Add a form\n',
    ],
    [
      'a stale [] of a failed run',
      '[] Add a form\n',
      'failed',
      '[❌, aaaa1111] Add a form // Failed: agent made no changes\n',
    ],
    [
      'a stale 🟡 of a done run',
      '[🟡, aaaa1111] Add a form\n',
      'done',
      '[✅ 9f8e7d6c1, aaaa1111] Add a form\n',
    ],
    [
      'a forged ✅ of a running run',
      '[✅ deadbeef, aaaa1111] Add a form\n',
      'running',
      '[🟡, aaaa1111] Add a form\n',
    ],
    [
      'a forged ✅ of a failed run',
      '[✅ deadbeef, aaaa1111] Add a form\n',
      'failed',
      '[❌, aaaa1111] Add a form // Failed: agent made no changes\n',
    ],
    [
      'a stale ❌ of a done run',
      '[❌, aaaa1111] Add a form // Failed: x\n',
      'done',
      '[✅ 9f8e7d6c1, aaaa1111] Add a form\n',
    ],
    ['a stale 🟡 of a released run', '[🟡, aaaa1111] Add a form\n', 'released', '[] Add a form\n'],
  ] as const)('puts back the recorded marker over %s', (_name, line, status, expected) => {
    const result = reconcile(
      `# T\n\n${line}`,
      [record('aaaa1111', status, '[] Add a form')],
      OPTIONS,
    );
    expect(result.text).toBe(`# T\n\n${expected}`);
    expect(result.changes).toHaveLength(1);
  });

  it.each([
    ['a line that already agrees', '[✅ 9f8e7d6c1, aaaa1111] Add a form\n', 'done'],
    ['a retried run whose line is [] again', '[] Add a form\n', 'retried'],
    ['a released run whose line is []', '[] Add a form\n', 'released'],
    ['a claim whose marker may never have reached the file', '[] Add a form\n', 'claimed'],
    ['a line whose text changed (a new task)', '[] Add a login form\n', 'done'],
  ] as const)('leaves alone %s', (_name, line, status) => {
    const text = `# T\n\n${line}`;
    const result = reconcile(text, [record('aaaa1111', status, '[] Add a form')], OPTIONS);
    expect(result.text).toBe(text);
    expect(result.changes).toEqual([]);
  });

  it('pairs identical lines with their records in claim order, whatever order the records come in', () => {
    const text = '# T\n\n[] Same\n[] Same\n[] Same\n';
    const first = record('aaaa1111', 'done', '[] Same', { claimLine: 3 });
    const second = record('bbbb2222', 'failed', '[] Same', { claimLine: 4 });
    const forward = reconcile(text, [first, second], OPTIONS).text;
    expect(reconcile(text, [second, first], OPTIONS).text).toBe(forward);
    expect(forward).toBe(
      '# T\n\n[✅ 9f8e7d6c1, aaaa1111] Same\n[❌, bbbb2222] Same // Failed: agent made no changes\n[] Same\n',
    );
  });

  it('reports an active run whose line is gone, and not a finished one', () => {
    const text = '# T\n\n[] Something else\n';
    const result = reconcile(
      text,
      [record('aaaa1111', 'running', '[] Gone'), record('bbbb2222', 'done', '[] Also gone')],
      OPTIONS,
    );
    expect(result.missing).toEqual(['aaaa1111']);
    expect(result.text).toBe(text);
  });

  it('gives a stale 🟡 of a released claim the outcome of the claim that came after it', () => {
    const released = record('aaaa1111', 'released', '[] Add a form');
    const done = record('bbbb2222', 'done', '[] Add a form', {
      startedAt: '2026-01-01T00:00:05.000Z',
    });
    const first = reconcile('# T\n\n[🟡, aaaa1111] Add a form\n', [released, done], OPTIONS);
    expect(first.text).toBe('# T\n\n[✅ 9f8e7d6c1, bbbb2222] Add a form\n');
    expect(first.changes.map(({ id, byText }) => ({ id, byText }))).toEqual([
      { id: 'bbbb2222', byText: true },
    ]);
    const second = reconcile(first.text, [released, done], OPTIONS);
    expect(second.text).toBe(first.text);
    expect(second.changes).toEqual([]);
  });

  it('changes nothing the second time, whatever the lines and records', () => {
    const ids = ['aaaa1111', 'bbbb2222', 'cccc3333'] as const;
    const markers = ['[]', '[⏰]', '[🟡, aaaa1111]', '[🟡, bbbb2222]', '[✅ deadbeef, cccc3333]'];
    const statuses: RunStatus[] = ['claimed', 'running', 'done', 'failed', 'released', 'retried'];
    const line = fc
      .tuple(fc.constantFrom(...markers), fc.constantFrom('Add a form', 'Fix it'))
      .map(([marker, words]) => `${marker} ${words}`);
    const records = fc.uniqueArray(
      fc.record({
        id: fc.constantFrom(...ids),
        status: fc.constantFrom(...statuses),
        words: fc.constantFrom('Add a form', 'Fix it'),
        second: fc.nat(9),
      }),
      { selector: (r) => r.id, maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), records, (lines, specs) => {
        const runs = specs.map(({ id, status, words, second }) =>
          record(id, status, `[] ${words}`, { startedAt: `2026-01-01T00:00:0${second}.000Z` }),
        );
        const once = reconcile(`# T\n\n${lines.join('\n')}\n`, runs, OPTIONS).text;
        expect(reconcile(once, runs, OPTIONS).text).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a duplicated ID alone', () => {
    const text = '# T\n\n[🟡, aaaa1111] One\n[🟡, aaaa1111] Two\n';
    expect(reconcile(text, [record('aaaa1111', 'done', '[] One')], OPTIONS).text).toBe(text);
  });
});

describe('conflictMarkerLines', () => {
  it('finds git conflict markers at line starts only', () => {
    const text =
      '# T\n<<<<<<< HEAD\n[] a\n=======\n[] b\n>>>>>>> other\r\n  ======= not\n========\n';
    expect(conflictMarkerLines(text)).toEqual([2, 4, 6]);
    expect(conflictMarkerLines('# T\n\n[] a\n')).toEqual([]);
  });
});
