import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { humanizeLine, humanizeText, LineSplitter } from '../../src/humanize/index.js';

const json = (value: unknown): string => JSON.stringify(value);

describe('humanizeLine: Claude Code stream-json', () => {
  it.each([
    [
      { type: 'system', subtype: 'init', model: 'claude-sonnet-4-5', tools: [] },
      ['● session started (model claude-sonnet-4-5)'],
    ],
    [{ type: 'system', subtype: 'hook_response' }, []],
    [
      {
        type: 'assistant',
        message: { content: [{ type: 'text', text: 'I will add the form.\n\nThen test it.' }] },
      },
      ['💬 I will add the form.', '💬 Then test it.'],
    ],
    [
      {
        type: 'assistant',
        message: {
          content: [
            {
              type: 'tool_use',
              name: 'Bash',
              input: { command: 'npm test', description: 'run tests' },
            },
          ],
        },
      },
      ['→ Bash: npm test'],
    ],
    [
      {
        type: 'assistant',
        message: {
          content: [
            { type: 'tool_use', name: 'Edit', input: { old_string: 'a', file_path: 'src/a.ts' } },
          ],
        },
      },
      ['→ Edit: src/a.ts'],
    ],
    [
      {
        type: 'assistant',
        message: {
          content: [{ type: 'tool_use', name: 'mcp__x__y', input: { n: 1, query: 'flights' } }],
        },
      },
      ['→ mcp__x__y: flights'],
    ],
    [
      {
        type: 'assistant',
        message: { content: [{ type: 'tool_use', name: 'TodoWrite', input: { todos: [{}, {}] } }] },
      },
      ['→ TodoWrite: 2 items'],
    ],
    [{ type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'hmm' }] } }, []],
    [
      {
        type: 'user',
        message: {
          content: [{ type: 'tool_result', content: 'line one\nline two\n\nline three' }],
        },
      },
      ['  ← line one (+2 lines)'],
    ],
    [
      {
        type: 'user',
        message: {
          content: [
            {
              type: 'tool_result',
              is_error: true,
              content: [{ type: 'text', text: 'Exit code 1' }],
            },
          ],
        },
      },
      ['  ✗ Exit code 1'],
    ],
    [
      {
        type: 'result',
        subtype: 'success',
        is_error: false,
        num_turns: 3,
        total_cost_usd: 0.4217,
        result: 'Done.',
      },
      ['✔ result: success, 3 turns, $0.42', '  Done.'],
    ],
    [
      {
        type: 'result',
        subtype: 'error_max_turns',
        is_error: true,
        num_turns: 1,
        total_cost_usd: 0.0031,
      },
      ['✗ result: error_max_turns, 1 turn, $0.0031'],
    ],
  ])('%j', (event, expected) => {
    expect(humanizeLine(json(event))).toEqual(expected);
  });
});

describe('humanizeLine: codex exec --json', () => {
  it.each([
    [{ type: 'thread.started', thread_id: 't' }, ['● session started']],
    [{ type: 'turn.started' }, []],
    [
      {
        type: 'item.started',
        item: { id: '1', type: 'command_execution', command: 'bash -lc ls', status: 'in_progress' },
      },
      ['→ $ bash -lc ls'],
    ],
    [
      {
        type: 'item.completed',
        item: {
          type: 'command_execution',
          command: 'ls',
          aggregated_output: 'a\nb\n',
          exit_code: 0,
        },
      },
      ['  ← a (+1 lines)'],
    ],
    [
      {
        type: 'item.completed',
        item: { type: 'command_execution', command: 'false', aggregated_output: '', exit_code: 1 },
      },
      ['  ✗ exit 1: (no output)'],
    ],
    [{ type: 'item.updated', item: { type: 'agent_message', text: 'par' } }, []],
    [
      { type: 'item.completed', item: { type: 'agent_message', text: 'All set.' } },
      ['💬 All set.'],
    ],
    [{ type: 'item.completed', item: { type: 'reasoning', text: 'thinking' } }, []],
    [
      {
        type: 'item.completed',
        item: {
          type: 'file_change',
          changes: [
            { path: 'a.ts', kind: 'update' },
            { path: 'b.ts', kind: 'add' },
          ],
        },
      },
      ['→ edit: update a.ts, add b.ts'],
    ],
    [
      { type: 'item.completed', item: { type: 'error', message: 'unknown model metadata' } },
      ['⚠ unknown model metadata'],
    ],
    [
      {
        type: 'turn.completed',
        usage: { input_tokens: 1200, cached_input_tokens: 0, output_tokens: 80 },
      },
      ['✔ turn completed: 1200 input, 80 output tokens'],
    ],
    [
      { type: 'turn.failed', error: { message: 'stream disconnected' } },
      ['✗ turn failed: stream disconnected'],
    ],
    [{ type: 'error', message: 'Reconnecting... 1/5' }, ['✗ Reconnecting... 1/5']],
  ])('%j', (event, expected) => {
    expect(humanizeLine(json(event))).toEqual(expected);
  });
});

describe('humanizeLine: anything else', () => {
  it.each([
    ['plain stderr text', ['plain stderr text']],
    ['   ', []],
    ['\x1b[31mred\x1b[0m', ['red']],
    ['{"type":"assistant","message":', ['{"type":"assistant","message":']],
    ['{"not":"an event"}', ['{"not":"an event"}']],
    ['[1, 2]', ['[1, 2]']],
  ])('%j', (line, expected) => {
    expect(humanizeLine(line)).toEqual(expected);
  });

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ type: 'assistant', message: v })),
        ),
        (line) => {
          expect(Array.isArray(humanizeLine(line))).toBe(true);
        },
      ),
    );
  });

  it('reads a whole log, mixed formats', () => {
    const text = [
      json({ type: 'system', subtype: 'init' }),
      'warning: x',
      json({ type: 'turn.started' }),
      '',
    ].join('\n');
    expect(humanizeText(text)).toEqual(['● session started', 'warning: x']);
  });
});

describe('LineSplitter', () => {
  it('keeps a line and a UTF-8 character cut between chunks', () => {
    const bytes = Buffer.from('one 🟡\ntwo ✅\nthree');
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 3)
      lines.push(...splitter.push(bytes.subarray(i, i + 3)));
    lines.push(...splitter.end());
    expect(lines).toEqual(['one 🟡', 'two ✅', 'three']);
  });
});
