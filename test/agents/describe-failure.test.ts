import { describe, expect, it } from 'vitest';
import { describeFailure, lastOutputLine } from '../../src/agents/describe-failure.js';
import type { AgentOutcome } from '../../src/agents/types.js';

const limits = { stepTimeoutMs: 30 * 60_000, idleTimeoutMs: 10 * 60_000 };

function outcome(overrides: Partial<AgentOutcome>): AgentOutcome {
  return {
    ok: false,
    exitCode: 0,
    signal: null,
    stoppedBy: null,
    durationMs: 10,
    spawnError: null,
    output: '',
    result: null,
    answer: null,
    ...overrides,
  };
}

const errorResult = {
  isError: true,
  subtype: 'error_max_turns',
  text: null,
  costUsd: 1,
  numTurns: 30,
  sessionId: 's',
  usage: null,
};

describe('describeFailure', () => {
  it.each<[string, Partial<AgentOutcome>, string]>([
    [
      'step timeout',
      { stoppedBy: 'stepTimeout', signal: 'SIGTERM', exitCode: null },
      'step implement timed out after 30m (stepTimeout)',
    ],
    [
      'idle timeout',
      { stoppedBy: 'idleTimeout', signal: 'SIGTERM', exitCode: null },
      'step implement printed nothing for 10m (idleTimeout)',
    ],
    [
      'spawn error',
      { spawnError: 'agent executable not found: claude', exitCode: null },
      'agent executable not found: claude',
    ],
    [
      'abort',
      { stoppedBy: 'abort', exitCode: null, signal: 'SIGTERM' },
      'step implement was stopped',
    ],
    [
      'root refusal',
      {
        exitCode: 1,
        output:
          '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n',
      },
      "claude refuses --dangerously-skip-permissions as root; set IS_SANDBOX=1 in the daemon's environment (containers/sandboxes) or run as a normal user",
    ],
    [
      'result error with text',
      { result: { ...errorResult, text: 'API Error: 529 overloaded' } },
      'agent reported an error: API Error: 529 overloaded',
    ],
    [
      'result error without text',
      { result: errorResult },
      'agent reported an error: error_max_turns',
    ],
    [
      'exit code with last line',
      { exitCode: 2, output: 'compiling\nerror: tests failed\n\n{"type":"system"}\n' },
      'agent exited with code 2: error: tests failed',
    ],
    ['exit code without output', { exitCode: 127 }, 'agent exited with code 127'],
    [
      'killed by a signal',
      { exitCode: null, signal: 'SIGSEGV', output: 'boom' },
      'agent was killed by SIGSEGV: boom',
    ],
    [
      'WORK_RESULT:failed',
      { output: 'cannot\nWORK_RESULT:failed\n' },
      'agent reported WORK_RESULT:failed',
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(describeFailure(outcome(overrides), 'implement', limits)).toBe(expected);
  });

  it('keeps the reason on one short line', () => {
    const reason = describeFailure(
      outcome({ exitCode: 1, output: `${'x'.repeat(500)}\n` }),
      'implement',
      limits,
    );
    expect(reason).not.toContain('\n');
    expect(reason.length).toBeLessThan(200);
  });
});

describe('lastOutputLine', () => {
  it('skips blank lines and JSON events', () => {
    expect(lastOutputLine('first\nsecond  \n{"type":"result"}\n\n')).toBe('second');
    expect(lastOutputLine('{"a":1}\n')).toBeNull();
  });
});
