import { describe, expect, it } from 'vitest';
import { agentInvocation, MAX_PROMPT_ARGUMENT } from '../../src/agents/agent-argv.js';
import { agentSpecOf } from '../../src/agents/agent-spec.js';
import { costOf, resolveModel } from '../../src/agents/resolve-model.js';
import { configSchema } from '../../src/config/schema.js';
import { isAdwError } from '../../src/errors.js';

const prompt = 'Fix it; rm -rf / "$(id)"\nsecond line';

function spec(input: Record<string, unknown>) {
  return agentSpecOf(configSchema.parse(input), '/repo');
}

describe('agentInvocation', () => {
  it('claude: headless stream-json run, the model as one --model=NAME element, the prompt on stdin', () => {
    const agent = spec({ claudeBin: '/opt/claude', agentArgs: ['--max-turns', '9'] });
    expect(agentInvocation(agent, prompt, 'opus')).toEqual({
      argv: [
        '/opt/claude',
        '-p',
        '--model=opus',
        '--output-format',
        'stream-json',
        '--verbose',
        '--dangerously-skip-permissions',
        '--max-turns',
        '9',
      ],
      stdin: prompt,
    });
  });

  it('claude gets the budget left as one --max-budget-usd=USD element; codex and command never', () => {
    const claude = spec({ claudeBin: '/opt/claude' });
    expect(agentInvocation(claude, prompt, null, 0.25).argv).toContain('--max-budget-usd=0.25');
    expect(agentInvocation(claude, prompt, null).argv.join(' ')).not.toContain('budget');
    const codex = spec({ agent: 'codex' });
    expect(agentInvocation(codex, prompt, null).argv.join(' ')).not.toContain('budget');
  });

  it('codex: exec --json with full access, no --model when none resolves, the prompt on stdin (`-`)', () => {
    const agent = spec({ agent: 'codex', agentArgs: ['-c', 'x=1'] });
    expect(agentInvocation(agent, '--help me', null)).toEqual({
      argv: [
        'codex',
        'exec',
        '--json',
        '--dangerously-bypass-approvals-and-sandbox',
        '--skip-git-repo-check',
        '-c',
        'x=1',
        '-',
      ],
      stdin: '--help me',
    });
    expect(agentInvocation(agent, 'review', 'gpt-5').argv).toContain('--model=gpt-5');
  });

  it('command: the configured argv plus the prompt, which also goes to stdin; agentArgs and model are not added', () => {
    const agent = spec({
      agent: 'command',
      command: ['node', 'my-agent.mjs', '--fast'],
      agentArgs: ['--ignored'],
    });
    expect(agentInvocation(agent, prompt, 'sonnet')).toEqual({
      argv: ['node', 'my-agent.mjs', '--fast', prompt],
      stdin: prompt,
    });
  });

  it('command: a prompt too big for one argument goes by stdin only (no E2BIG)', () => {
    const agent = spec({ agent: 'command', command: ['./agent.mjs'] });
    const big = 'x'.repeat(MAX_PROMPT_ARGUMENT + 1);
    expect(agentInvocation(agent, big, null)).toEqual({ argv: ['/repo/agent.mjs'], stdin: big });
  });

  it('command without `command` is a config error', () => {
    let caught: unknown;
    try {
      spec({ agent: 'command' });
    } catch (error) {
      caught = error;
    }
    expect(isAdwError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(
      'Expected `command` to be set when `agent` is `command`',
    );
  });
});

describe('resolveModel', () => {
  const claude = spec({});
  const codex = spec({ agent: 'codex' });

  it('the tag wins over the workflow, the workflow over the configured model', () => {
    expect(resolveModel({ modelTag: 'opus' }, { model: 'haiku' }, claude)).toBe('opus');
    expect(resolveModel({ modelTag: null }, { model: 'haiku' }, claude)).toBe('haiku');
    expect(resolveModel({ modelTag: null }, { model: null }, claude)).toBe('sonnet');
    expect(resolveModel({ modelTag: null }, null, spec({ model: 'claude-opus-4-1' }))).toBe(
      'claude-opus-4-1',
    );
  });

  it('codex: no model unless one is configured or tagged; claude aliases are mapped or dropped', () => {
    expect(resolveModel({ modelTag: null }, null, codex)).toBeNull();
    expect(resolveModel({ modelTag: 'opus' }, { model: 'sonnet' }, codex)).toBeNull();
    expect(resolveModel({ modelTag: 'gpt-5' }, null, codex)).toBe('gpt-5');
    const mapped = spec({ agent: 'codex', models: { codex: { opus: 'gpt-5' } } });
    expect(resolveModel({ modelTag: 'opus' }, null, mapped)).toBe('gpt-5');
  });

  it('prices tokens for agents that report no cost', () => {
    const usage = {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 500_000,
      cacheCreationTokens: 0,
    };
    const prices = { 'gpt-5': { input: 1, output: 10, cachedInput: 0.1 } };
    expect(costOf(usage, 'gpt-5', prices)).toBeCloseTo(0.5 + 0.05 + 1);
    expect(costOf(usage, 'other', prices)).toBeNull();
  });
});

describe('config: what could become an option is refused', () => {
  it.each([
    ['model', '--dangerously-skip-permissions'],
    ['model', '-c'],
    ['model', 'two words'],
    ['baseRef', '--orphan'],
    ['defaultSection', '-rf'],
    ['defaultSection', 'x'.repeat(300)],
    ['worktreeDir', '../outside'],
    ['worktreeDir', '/abs'],
    ['worktreeDir', '.git'],
    ['pollInterval', 1],
    ['concurrency', 1e9],
    ['models', { codex: { opus: '--foo' } }],
  ])('%s = %j', (key, value) => {
    expect(configSchema.safeParse({ [key]: value }).success).toBe(false);
  });
});
