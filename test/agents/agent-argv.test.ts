import { describe, expect, it } from 'vitest';
import { agentArgv } from '../../src/agents/agent-argv.js';
import { configSchema } from '../../src/config/schema.js';
import { isAdwError } from '../../src/errors.js';

const prompt = 'Fix it; rm -rf / "$(id)"\nsecond line';

describe('agentArgv', () => {
  it('claude: headless stream-json run with the prompt as one element', () => {
    const config = configSchema.parse({
      claudeBin: '/opt/claude',
      agentArgs: ['--max-turns', '9'],
    });
    expect(agentArgv(config, prompt, 'opus')).toEqual([
      '/opt/claude',
      '-p',
      prompt,
      '--model',
      'opus',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--max-turns',
      '9',
    ]);
  });

  it('codex: exec with full access, prompt last', () => {
    const config = configSchema.parse({ agent: 'codex', agentArgs: ['--json'] });
    expect(agentArgv(config, prompt, 'gpt-5-codex')).toEqual([
      'codex',
      'exec',
      '--model',
      'gpt-5-codex',
      '--dangerously-bypass-approvals-and-sandbox',
      '--skip-git-repo-check',
      '--json',
      prompt,
    ]);
  });

  it('command: the configured argv plus the prompt; agentArgs and model are not added', () => {
    const config = configSchema.parse({
      agent: 'command',
      command: ['node', 'my-agent.mjs', '--fast'],
      agentArgs: ['--ignored'],
    });
    expect(agentArgv(config, prompt, 'sonnet')).toEqual(['node', 'my-agent.mjs', '--fast', prompt]);
  });

  it('command without `command` is a config error', () => {
    const config = configSchema.parse({ agent: 'command' });
    let caught: unknown;
    try {
      agentArgv(config, prompt, 'sonnet');
    } catch (error) {
      caught = error;
    }
    expect(isAdwError(caught, 'CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(
      'Expected `command` to be set when `agent` is `command`',
    );
  });
});
