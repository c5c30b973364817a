import { describe, expect, it } from 'vitest';
import { outputReader } from '../../src/agents/output-reader.js';

function read(lines: string[]) {
  const reader = outputReader('codex');
  for (const line of lines) reader.line(line);
  return reader.end();
}

const usage = (input: number, cached: number, output: number): string =>
  JSON.stringify({
    type: 'turn.completed',
    usage: { input_tokens: input, cached_input_tokens: cached, output_tokens: output },
  });

describe('codex exec --json reader', () => {
  it('sums tokens over turns, takes the last agent_message as the answer and thread_id as session', () => {
    const reading = read([
      '{"type":"thread.started","thread_id":"t-1"}',
      '{"type":"turn.started"}',
      '{"type":"item.completed","item":{"type":"agent_message","text":"first"}}',
      '{"type":"item.completed","item":{"type":"command_execution","command":"ls","exit_code":0}}',
      usage(100, 20, 10),
      'not json',
      '{"type":"item.completed","item":{"type":"agent_message","text":"WORK_RESULT:failed\\nno"}}',
      usage(200, 50, 5),
    ]);
    expect(reading.answer).toBe('WORK_RESULT:failed\nno');
    expect(reading.failedMarker).toBe(true);
    expect(reading.result).toEqual({
      isError: false,
      subtype: null,
      text: 'WORK_RESULT:failed\nno',
      costUsd: null,
      numTurns: 2,
      sessionId: 't-1',
      usage: { inputTokens: 300, outputTokens: 15, cacheReadTokens: 70, cacheCreationTokens: 0 },
    });
  });

  it('a failed turn is an error with its message; an echoed marker elsewhere does not count', () => {
    const reading = read([
      '{"type":"thread.started","thread_id":"t-2"}',
      '{"type":"error","message":"unexpected status 500: boom"}',
      '{"type":"turn.failed","error":{"message":"unexpected status 500: boom"}}',
    ]);
    expect(reading.result).toMatchObject({ isError: true, text: 'unexpected status 500: boom' });
    expect(reading.answer).toBeNull();
    expect(reading.failedMarker).toBe(false);
  });
});
