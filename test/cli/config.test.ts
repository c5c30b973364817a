import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { makeTaskRepo } from '../helpers/task-repo.js';
import { snapshotDir } from './snapshot.js';

interface ConfigJson {
  file: string | null;
  config: Record<string, unknown>;
  sources: Record<string, string>;
}

async function configJson(
  cwd: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ConfigJson> {
  const result = await runCli(['config', '--json', ...args], { cwd, env });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ConfigJson;
}

describe('adw-trigger config', () => {
  it('resolves flag > env > file > default and names the source of each value', async () => {
    const repo = await makeRepo({
      'adw-trigger.json': JSON.stringify({ concurrency: 3, stepTimeout: '2m' }),
    });
    const flag = await configJson(repo, ['--concurrency', '6'], { ADW_CONCURRENCY: '4' });
    expect(flag.config.concurrency).toBe(6);
    expect(flag.sources.concurrency).toBe('flag');
    const env = await configJson(repo, [], { ADW_CONCURRENCY: '4' });
    expect(env.config.concurrency).toBe(4);
    expect(env.sources.concurrency).toBe('env');
    const file = await configJson(repo);
    expect(file.config.concurrency).toBe(3);
    expect(file.sources.concurrency).toBe('file');
    expect(file.sources.stepTimeout).toBe('file');
    const fallback = await configJson(await makeRepo());
    expect(fallback.file).toBeNull();
    expect(fallback.config.concurrency).toBe(5);
    expect(fallback.sources.concurrency).toBe('default');
  });

  it('shows each value with its source in the text view', async () => {
    const repo = await makeRepo({
      'adw-trigger.json': JSON.stringify({ concurrency: 3, model: 'opus' }),
    });
    const result = await runCli(['config', '--idle-timeout', '1m'], {
      cwd: repo,
      env: { ADW_MODEL: 'haiku' },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^config file: \S*adw-trigger\.json\n/);
    expect(result.stdout).toMatch(/^concurrency +3 +file +/m);
    expect(result.stdout).toMatch(/^model +haiku +env +/m);
    expect(result.stdout).toMatch(/^idleTimeout +1m +flag +/m);
    expect(result.stdout).toMatch(/^retries +1 +default +/m);
  });

  it.each([
    [
      'an unknown key in the file',
      { frobnicate: 1 },
      /^adw-trigger: adw-trigger\.json: Unknown key `frobnicate` \(known keys: .*concurrency.*\)$/,
    ],
    [
      'a value of the wrong type',
      { concurrency: 'many' },
      /^adw-trigger: adw-trigger\.json: Expected `concurrency` to be a whole number from 1 to 256, got `"many"`$/,
    ],
    [
      'concurrency: 0',
      { concurrency: 0 },
      /^adw-trigger: adw-trigger\.json: Expected `concurrency` to be a whole number from 1 to 256, got `0`$/,
    ],
    [
      'an unparsable duration',
      { pollInterval: 'soon' },
      /^adw-trigger: adw-trigger\.json: Expected `pollInterval` to be a duration.*got `"soon"`$/,
    ],
  ])(
    'exits 2 with one line naming key, value and expectation for %s, changing nothing',
    async (_name, config, message) => {
      const repo = await makeTaskRepo('[] Never run\n', { agent: fakeAgent('commit'), config });
      const before = await snapshotDir(repo);
      for (const command of [['config'], ['status'], ['start', '--once']]) {
        const result = await runCli(command, { cwd: repo });
        expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(result.stderr.trimEnd()).toMatch(message);
      }
      expect(await snapshotDir(repo)).toEqual(before);
    },
  );

  it('exits 2 naming the variable for a bad environment value, and the flag for a bad flag value', async () => {
    const repo = await makeRepo();
    const before = await snapshotDir(repo);
    const env = await runCli(['config'], { cwd: repo, env: { ADW_CONCURRENCY: 'lots' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toBe(
      'adw-trigger: ADW_CONCURRENCY: Expected `concurrency` to be a whole number from 1 to 256, got `"lots"`\n',
    );
    const flag = await runCli(['config', '--step-timeout', 'soon'], { cwd: repo });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(
      /^adw-trigger: --step-timeout: Expected `stepTimeout` to be a duration.*got `"soon"`\n$/,
    );
    expect(await snapshotDir(repo)).toEqual(before);
  });
});
