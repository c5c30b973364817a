import { describe, expect, it } from 'vitest';
import { classifyFailure, type FailureInput } from '../../src/agents/classify-failure.js';
import { permanentReason } from '../../src/agents/permanent-reason.js';
import type { AgentResult } from '../../src/agents/types.js';

// Messages as the pinned CLIs print them against a stand-in API (claude 2.0.77, codex 0.171.0).
const NOW = Date.parse('2026-12-01T02:10:30Z');

function claudeError(text: string, apiError: string | null = 'unknown'): AgentResult {
  return {
    isError: true,
    subtype: 'success',
    text,
    costUsd: 0,
    numTurns: 1,
    sessionId: 's',
    usage: null,
    apiError,
  };
}

function codexFailed(text: string): AgentResult {
  return {
    isError: true,
    subtype: 'turn_failed',
    text,
    costUsd: null,
    numTurns: null,
    sessionId: 't',
    usage: null,
  };
}

function input(kind: FailureInput['kind'], result: AgentResult | null, output = ''): FailureInput {
  return {
    kind,
    outcome: { exitCode: 1, output, result, stoppedBy: null, spawnError: null },
    now: NOW,
    timeZone: 'UTC',
  };
}

describe('classifyFailure', () => {
  it.each([
    [
      'claude 500',
      input(
        'claude',
        claudeError(
          'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
        ),
      ),
      'transient',
      null,
      500,
    ],
    [
      'claude 529 overloaded',
      input(
        'claude',
        claudeError(
          'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        ),
      ),
      'transient',
      null,
      529,
    ],
    [
      'claude connection error',
      input('claude', claudeError('API Error: Connection error.')),
      'transient',
      null,
      null,
    ],
    [
      'claude 429 (API key)',
      input(
        'claude',
        claudeError(
          'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
        ),
      ),
      'rate-limit',
      null,
      429,
    ],
    [
      'claude usage limit (subscription)',
      input(
        'claude',
        claudeError("You've hit your session limit · resets 2:12am (UTC)", 'rate_limit'),
      ),
      'rate-limit',
      null,
      null,
    ],
    [
      'claude 401',
      input(
        'claude',
        claudeError('Invalid API key · Fix external API key', 'authentication_failed'),
      ),
      'permanent',
      'authentication',
      null,
    ],
    [
      'claude 403 OAuth',
      input(
        'claude',
        claudeError('API Error: 403 Forbidden · Please run /login', 'authentication_failed'),
      ),
      'permanent',
      'authentication',
      403,
    ],
    [
      'claude credit',
      input('claude', claudeError('Credit balance is too low', 'billing_error')),
      'permanent',
      'billing',
      null,
    ],
    [
      'claude 400',
      input(
        'claude',
        claudeError(
          'API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"bad thing"}}',
        ),
      ),
      'permanent',
      'bad-request',
      400,
    ],
    [
      'claude 404 model',
      input(
        'claude',
        claudeError(
          'API Error: 404 {"type":"error","error":{"type":"not_found_error","message":"model: claude-nope"}}',
        ),
      ),
      'permanent',
      'unknown-model',
      404,
    ],
    [
      'claude error during execution',
      input('claude', { ...claudeError(''), text: null, apiError: null }),
      'task',
      null,
      null,
    ],
    [
      'codex 500',
      input(
        'codex',
        codexFailed('We’re currently experiencing high demand, which may cause temporary errors.'),
      ),
      'transient',
      null,
      null,
    ],
    [
      'codex 429',
      input('codex', codexFailed('exceeded retry limit, last status: 429 Too Many Requests')),
      'rate-limit',
      null,
      429,
    ],
    [
      'codex usage limit, no time',
      input('codex', codexFailed('You’ve hit your usage limit. Try again later.')),
      'rate-limit',
      null,
      null,
    ],
    [
      'codex 401',
      input(
        'codex',
        codexFailed(
          'unexpected status 401 Unauthorized: Incorrect API key provided: dummy., url: http://127.0.0.1:47820/v1/responses',
        ),
      ),
      'permanent',
      'authentication',
      401,
    ],
    [
      'codex 400',
      input(
        'codex',
        codexFailed('{"error":{"type":"invalid_request_error","message":"bad request"}}'),
      ),
      'permanent',
      'bad-request',
      null,
    ],
    [
      'codex unknown model',
      input(
        'codex',
        codexFailed('The model `gpt-nope` does not exist or you do not have access to it.'),
      ),
      'permanent',
      'unknown-model',
      null,
    ],
    [
      'codex stream disconnected',
      input('codex', codexFailed('stream disconnected before completion: error sending request')),
      'transient',
      null,
      null,
    ],
    [
      'plain agent: last line 503',
      input('plain', null, 'working\nerror: HTTP 503 from upstream\n'),
      'transient',
      null,
      503,
    ],
    [
      'plain agent: ECONNREFUSED',
      input('plain', null, 'connect ECONNREFUSED 127.0.0.1:443\n'),
      'transient',
      null,
      null,
    ],
    [
      'plain agent: tests failed',
      input('plain', null, 'npm test: 3 failing\n'),
      'task',
      null,
      null,
    ],
    ['plain agent: no output', input('plain', null, ''), 'task', null, null],
  ] as const)('%s → %s', (_name, given, expected, cause, status) => {
    const failure = classifyFailure(given);
    expect(failure.class).toBe(expected);
    expect(failure.cause).toBe(cause);
    expect(failure.status).toBe(status);
  });

  it('reads the reset time of a usage limit (claude and codex)', () => {
    const claude = classifyFailure(
      input(
        'claude',
        claudeError("You've hit your session limit · resets 3am (UTC)", 'rate_limit'),
      ),
    );
    expect(claude.resetAt).toBe(Date.parse('2026-12-01T03:00:00Z'));
    const codex = classifyFailure(
      input(
        'codex',
        codexFailed(
          'You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/usage to purchase more credits or try again at 2:45 AM.',
        ),
      ),
    );
    expect(codex.class).toBe('rate-limit');
    expect(codex.resetAt).toBe(Date.parse('2026-12-01T02:45:00Z'));
  });

  it('never classifies runs we stopped or that never started', () => {
    const stopped = input('claude', claudeError('API Error: 429 rate limit'));
    expect(
      classifyFailure({ ...stopped, outcome: { ...stopped.outcome, stoppedBy: 'stepTimeout' } })
        .class,
    ).toBe('task');
    expect(
      classifyFailure({ ...stopped, outcome: { ...stopped.outcome, spawnError: 'ENOENT' } }).class,
    ).toBe('task');
  });

  it('a permanent reason says what to fix', () => {
    const auth = classifyFailure(
      input(
        'claude',
        claudeError('Invalid API key · Fix external API key', 'authentication_failed'),
      ),
    );
    expect(permanentReason(auth, 'claude', 'sonnet')).toBe(
      "authentication failed: check ANTHROPIC_API_KEY (or CLAUDE_CODE_OAUTH_TOKEN / `claude login`) in the daemon's environment (agent: Invalid API key · Fix external API key)",
    );
    const model = classifyFailure(
      input(
        'codex',
        codexFailed('The model `gpt-nope` does not exist or you do not have access to it.'),
      ),
    );
    expect(permanentReason(model, 'codex', 'gpt-nope')).toMatch(
      /^unknown model gpt-nope: check `model`, `models` or the task's model tag \(agent: The model/,
    );
  });
});
