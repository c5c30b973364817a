import { describe, expect, it } from 'vitest';
import {
  hasFailedMarker,
  isRootRefusal,
  readClaudeStream,
} from '../../src/agents/claude-stream.js';

// Lines as Claude Code 2.0.77 prints them with --output-format stream-json --verbose.
const init =
  '{"type":"system","subtype":"init","cwd":"/w","session_id":"s-1","tools":["Bash"],"model":"claude-sonnet-4-5-20250929","permissionMode":"bypassPermissions"}';
const assistant =
  '{"type":"assistant","message":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","usage":{"input_tokens":100,"output_tokens":20}},"session_id":"s-1"}';
const success =
  '{"type":"result","subtype":"success","is_error":false,"duration_ms":262,"num_turns":2,"result":"Committed hello.txt","session_id":"s-1","total_cost_usd":0.0304,"usage":{"input_tokens":2400,"cache_creation_input_tokens":7,"cache_read_input_tokens":5,"output_tokens":160,"server_tool_use":{"web_search_requests":0}}}';
const apiError =
  '{"type":"result","subtype":"success","is_error":true,"num_turns":1,"result":"API Error: 500 {\\"type\\":\\"error\\"}","session_id":"s-2","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}';
const maxTurns =
  '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":3,"session_id":"s-3","total_cost_usd":0.5}';

describe('readClaudeStream', () => {
  it('reads the final result event of a successful run', () => {
    expect(readClaudeStream([init, assistant, success, ''].join('\n'))).toEqual({
      isError: false,
      subtype: 'success',
      text: 'Committed hello.txt',
      costUsd: 0.0304,
      numTurns: 2,
      sessionId: 's-1',
      usage: { inputTokens: 2400, outputTokens: 160, cacheReadTokens: 5, cacheCreationTokens: 7 },
    });
  });

  it('reads an API error', () => {
    expect(readClaudeStream([init, apiError].join('\n'))).toMatchObject({
      isError: true,
      text: 'API Error: 500 {"type":"error"}',
      costUsd: 0,
      sessionId: 's-2',
    });
  });

  it('reads max turns: an error without result text', () => {
    expect(readClaudeStream([init, assistant, maxTurns].join('\n'))).toEqual({
      isError: true,
      subtype: 'error_max_turns',
      text: null,
      costUsd: 0.5,
      numTurns: 3,
      sessionId: 's-3',
      usage: null,
    });
  });

  it('uses the last result event when there are several', () => {
    expect(readClaudeStream([success, maxTurns].join('\r\n'))?.subtype).toBe('error_max_turns');
  });

  it.each([
    ['empty output', ''],
    ['plain text', 'Error: something broke\nat line 3'],
    ['a truncated result line', success.slice(0, 80)],
    ['JSON that is not an object', '["type","result"]\n"result"\n42'],
    ['events without a result', [init, assistant].join('\n')],
    ['binary noise', '\u0000\u0001{{{"type":"result"'],
  ])('returns null for %s', (_name, input) => {
    expect(readClaudeStream(input)).toBeNull();
  });

  it('skips garbled lines around a good result', () => {
    const text = ['{"type":"res', 'garbage', success, '{not json'].join('\n');
    expect(readClaudeStream(text)?.text).toBe('Committed hello.txt');
  });

  it('tolerates wrong field types', () => {
    const odd =
      '{"type":"result","is_error":"yes","total_cost_usd":"0.3","num_turns":null,"result":7,"usage":"x"}';
    expect(readClaudeStream(odd)).toEqual({
      isError: false,
      subtype: null,
      text: null,
      costUsd: null,
      numTurns: null,
      sessionId: null,
      usage: null,
    });
  });
});

describe('hasFailedMarker', () => {
  it.each([
    ['WORK_RESULT:failed', true],
    ['I could not do it.\nWORK_RESULT:failed', true],
    ['  **WORK_RESULT:failed**', true],
    ['`WORK_RESULT: failed`', true],
    ['end it with a line that says only `WORK_RESULT:failed`.', false],
    ['WORK_RESULT:success', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(hasFailedMarker(text)).toBe(expected);
  });
});

describe('isRootRefusal', () => {
  it('recognises the text claude prints as root', () => {
    expect(
      isRootRefusal(
        '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n',
      ),
    ).toBe(true);
    expect(isRootRefusal('permission denied')).toBe(false);
  });
});
