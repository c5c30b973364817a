import { describe, expect, it } from 'vitest';
import type { AdwError } from '../../src/errors.js';
import { configKeys, loadConfig } from '../../src/config/load.js';
import { expectInvalid, repoWith } from './config-fixtures.js';

describe('loadConfig: bad values', () => {
  const duration = 'a duration such as 500, "30s", "10m" or "1h"';

  it.each<[string, unknown, string]>([
    [
      'unknown key, close to one',
      { concurency: 2 },
      'Unknown key `concurency` (did you mean `concurrency`?)',
    ],
    [
      'unknown key, other spelling',
      { step_timeout: '1m' },
      'Unknown key `step_timeout` (did you mean `stepTimeout`?)',
    ],
    [
      'unknown key, nothing close',
      { colour: 'blue' },
      `Unknown key \`colour\` (known keys: ${configKeys.join(', ')})`,
    ],
    [
      'concurrency 0',
      { concurrency: 0 },
      'Expected `concurrency` to be a whole number from 1 to 256, got `0`',
    ],
    [
      'concurrency negative',
      { concurrency: -3 },
      'Expected `concurrency` to be a whole number from 1 to 256, got `-3`',
    ],
    [
      'concurrency fraction',
      { concurrency: 2.5 },
      'Expected `concurrency` to be a whole number from 1 to 256, got `2.5`',
    ],
    [
      'concurrency a string',
      { concurrency: '3' },
      'Expected `concurrency` to be a whole number from 1 to 256, got `"3"`',
    ],
    [
      'concurrency a boolean',
      { concurrency: true },
      'Expected `concurrency` to be a whole number from 1 to 256, got `true`',
    ],
    [
      'concurrency null',
      { concurrency: null },
      'Expected `concurrency` to be a whole number from 1 to 256, got `null`',
    ],
    [
      'retries negative',
      { retries: -1 },
      'Expected `retries` to be a whole number, 0 or more, got `-1`',
    ],
    [
      'duration unparsable',
      { stepTimeout: 'often' },
      `Expected \`stepTimeout\` to be ${duration}, got \`"often"\``,
    ],
    [
      'poll interval below 100 ms',
      { pollInterval: 1 },
      'Expected `pollInterval` to be a duration of at least 100ms such as 500, "5s" or "1m", got `1`',
    ],
    [
      'concurrency above 256',
      { concurrency: 1e9 },
      'Expected `concurrency` to be a whole number from 1 to 256, got `1000000000`',
    ],
    [
      'model that reads as an option',
      { model: '--foo' },
      'Expected `model` to be a model name such as "sonnet" or "gpt-5" (letters, digits and . _ : / @ + -, not starting with "-"), got `"--foo"`',
    ],
    [
      'section that reads as an option',
      { defaultSection: '-rf' },
      'Expected `defaultSection` to be a valid git branch name of at most 200 characters, such as "adw", got `"-rf"`',
    ],
    [
      'base ref that reads as an option',
      { baseRef: '--orphan' },
      'Expected `baseRef` to be a git revision such as "HEAD" or "main" (no leading "-", no spaces), got `"--orphan"`',
    ],
    [
      'duration negative',
      { stepTimeout: -5 },
      `Expected \`stepTimeout\` to be ${duration}, got \`-5\``,
    ],
    [
      'duration an object',
      { idleTimeout: { m: 1 } },
      `Expected \`idleTimeout\` to be ${duration}, got \`{"m":1}\``,
    ],
    [
      'agent unknown',
      { agent: 'gpt' },
      'Expected `agent` to be "claude", "codex" or "command", got `"gpt"`',
    ],
    [
      'hooks with an unknown hook',
      { hooks: { afterCheckout: 'x' } },
      'Expected `hooks` to be an object of shell scripts such as {"afterCreate": "npm ci"} (afterCreate, beforeRun, afterRun, beforeRemove), got `{"afterCheckout":"x"}`',
    ],
    [
      'linkDirs leaving the repository',
      { linkDirs: ['../shared'] },
      'Expected `linkDirs` to be an array of relative paths inside the repository such as ["node_modules"], got `["../shared"]`',
    ],
    [
      'land unknown',
      { land: 'merge' },
      'Expected `land` to be "none", "push" or "pr", got `"merge"`',
    ],
    [
      'onConflict unknown',
      { onConflict: 'ours' },
      'Expected `onConflict` to be "fail" or "resolve", got `"ours"`',
    ],
    ['name empty', { workflow: '' }, 'Expected `workflow` to be a non-empty string, got `""`'],
    ['name a number', { tasks: 5 }, 'Expected `tasks` to be a non-empty string, got `5`'],
    [
      'command a string',
      { command: 'node agent.mjs' },
      'Expected `command` to be a non-empty array of strings such as ["node", "agent.mjs"], got `"node agent.mjs"`',
    ],
    [
      'command empty',
      { command: [] },
      'Expected `command` to be a non-empty array of strings such as ["node", "agent.mjs"], got `[]`',
    ],
    [
      'agentArgs with a number',
      { agentArgs: ['--max-turns', 30] },
      'Expected `agentArgs` to be an array of strings such as ["--max-turns", "30"], got `["--max-turns",30]`',
    ],
  ])('file: %s', async (_, content, message) => {
    const repoDir = await repoWith(content);
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {} }),
      `adw-trigger.json: ${message}`,
    );
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'ADW_CONCURRENCY',
      { ADW_CONCURRENCY: '0' },
      'Expected `concurrency` to be a whole number from 1 to 256, got `0`',
    ],
    [
      'ADW_CONCURRENCY',
      { ADW_CONCURRENCY: 'four' },
      'Expected `concurrency` to be a whole number from 1 to 256, got `"four"`',
    ],
    [
      'ADW_RETRIES',
      { ADW_RETRIES: '-1' },
      'Expected `retries` to be a whole number, 0 or more, got `-1`',
    ],
    [
      'ADW_STEP_TIMEOUT',
      { ADW_STEP_TIMEOUT: 'soon' },
      `Expected \`stepTimeout\` to be ${duration}, got \`"soon"\``,
    ],
    [
      'ADW_AGENT',
      { ADW_AGENT: 'Claude' },
      'Expected `agent` to be "claude", "codex" or "command", got `"Claude"`',
    ],
    [
      'ADW_COMMAND',
      { ADW_COMMAND: 'node agent.mjs' },
      'Expected `command` to be a non-empty JSON array of strings such as ["node", "agent.mjs"], got `"node agent.mjs"`',
    ],
    [
      'ADW_COMMAND',
      { ADW_COMMAND: '{"argv": ["node"]}' },
      'Expected `command` to be a non-empty JSON array of strings such as ["node", "agent.mjs"], got `{"argv":["node"]}`',
    ],
    [
      'ADW_AGENT_ARGS',
      { ADW_AGENT_ARGS: '[1, 2]' },
      'Expected `agentArgs` to be a JSON array of strings such as ["--max-turns", "30"], got `[1,2]`',
    ],
  ])('env: %s', async (name, env, message) => {
    const repoDir = await repoWith({ concurrency: 2 });
    await expectInvalid(repoDir, () => loadConfig({ repoDir, env }), `${name}: ${message}`);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      '--concurrency',
      { concurrency: '-2' },
      'Expected `concurrency` to be a whole number from 1 to 256, got `-2`',
    ],
    [
      '--idle-timeout',
      { idleTimeout: '10 minutes' },
      `Expected \`idleTimeout\` to be ${duration}, got \`"10 minutes"\``,
    ],
    ['--tasks', { tasks: '' }, 'Expected `tasks` to be a non-empty string, got `""`'],
    [
      '--command',
      { command: ['node', 3] },
      'Expected `command` to be a non-empty array of strings such as ["node", "agent.mjs"], got `["node",3]`',
    ],
    [
      '--agent-args',
      { agentArgs: '--verbose' },
      'Expected `agentArgs` to be a JSON array of strings such as ["--max-turns", "30"], got `"--verbose"`',
    ],
  ])('flag: %s', async (name, flags, message) => {
    const repoDir = await repoWith();
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: {}, flags }),
      `${name}: ${message}`,
    );
  });

  it('reports a bad file value even when env or a flag would override it', async () => {
    const repoDir = await repoWith({ concurrency: 0 });
    await expectInvalid(
      repoDir,
      () => loadConfig({ repoDir, env: { ADW_CONCURRENCY: '3' }, flags: { concurrency: '4' } }),
      'adw-trigger.json: Expected `concurrency` to be a whole number from 1 to 256, got `0`',
    );
  });

  it.each<[string, unknown, Record<string, string>, Record<string, unknown>]>([
    ['adw-trigger.json', { agent: 'command' }, {}, {}],
    ['ADW_AGENT', {}, { ADW_AGENT: 'command' }, {}],
    ['--agent', { agent: 'claude' }, {}, { agent: 'command' }],
  ])(
    'names `command` when agent is "command" without one (set in %s)',
    async (where, file, env, flags) => {
      const repoDir = await repoWith(file);
      await expectInvalid(
        repoDir,
        () => loadConfig({ repoDir, env, flags }),
        `${where}: \`agent\` is "command" but \`command\` is not set: expected a non-empty array of ` +
          'strings such as ["node", "agent.mjs"] in adw-trigger.json, ADW_COMMAND or --command',
      );
    },
  );

  it('cuts a very long value short in the message', async () => {
    const repoDir = await repoWith({ model: 'm', agent: 'x'.repeat(500) });
    const error = await loadConfig({ repoDir, env: {} }).catch((caught: unknown) => caught);
    expect((error as AdwError).message).toBe(
      `adw-trigger.json: Expected \`agent\` to be "claude", "codex" or "command", got \`"${'x'.repeat(118)}…\``,
    );
  });
});
