import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

describe('formatDiagnostic', () => {
  it('prints FILE:LINE:COL severity rule message, the place once', () => {
    const [diagnostic] = parseTasks('[] a\n\n[🟢] b\n', options).diagnostics;
    expect(diagnostic).toBeDefined();
    const line = formatDiagnostic('tasks.md', diagnostic!);
    expect(line).toBe(
      'tasks.md:3:1 error unknown-marker Unknown marker `[🟢]`; expected one of [], [ ], [⏰], [🟡, ID], [✅ HASH, ID], [❌, ID], [x]',
    );
    expect(line.match(/\b3\b/g)).toHaveLength(1);
  });

  it.each([
    ['[] x #workflow:nope\n', 'unknown-workflow'],
    ['## Git Worktree a..b\n[] x\n', 'invalid-section-name'],
    ['[🟡, a1] x\n[❌, a1] y\n', 'duplicate-id'],
    ['[] #opus\n', 'empty-task'],
    ['[✅ zz, a] x\n', 'malformed-hash'],
  ])('never repeats the line in the message of %j', (source, rule) => {
    const { diagnostics } = parseTasks(source, options);
    expect(diagnostics.map((diagnostic) => diagnostic.rule)).toEqual([rule]);
    const [diagnostic] = diagnostics;
    expect(diagnostic?.message).not.toMatch(new RegExp(`line ${String(diagnostic?.line)}\\b`, 'i'));
  });
});
