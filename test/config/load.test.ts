import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { configKeys, loadConfig, type ConfigKey } from '../../src/config/load.js';
import { FILE, repoWith } from './config-fixtures.js';

describe('loadConfig: layers', () => {
  it('gives every default when there is no file, env or flag', async () => {
    const repoDir = await repoWith();
    const loaded = await loadConfig({ repoDir, env: {} });
    expect(loaded.config).toEqual(configSchema.parse({}));
    expect(loaded.config.stepTimeout).toBe(30 * 60_000);
    expect(loaded.file).toBeNull();
    expect(Object.values(loaded.sources)).toEqual(configKeys.map(() => 'default'));
  });

  it('reads adw-trigger.json, reports its path and marks only its keys as from the file', async () => {
    const repoDir = await repoWith({ concurrency: 2, stepTimeout: '45m', agentArgs: ['--x'] });
    const loaded = await loadConfig({ repoDir, env: {} });
    expect(loaded.file).toBe(join(repoDir, FILE));
    expect(loaded.config).toMatchObject({
      concurrency: 2,
      stepTimeout: 45 * 60_000,
      agentArgs: ['--x'],
    });
    expect(loaded.sources).toMatchObject({
      concurrency: 'file',
      stepTimeout: 'file',
      agentArgs: 'file',
    });
    expect(loaded.sources.model).toBe('default');
  });

  it('strips a byte order mark from the file', async () => {
    const repoDir = await repoWith('\uFEFF{"model": "opus"}\r\n');
    expect((await loadConfig({ repoDir, env: {} })).config.model).toBe('opus');
  });

  // For every key: one value per layer (env and flags as the text a shell or commander gives).
  const samples: Record<ConfigKey, [file: unknown, env: string, flag: unknown, parsed: unknown[]]> =
    {
      tasks: ['a.md', 'b.md', 'c.md', ['a.md', 'b.md', 'c.md']],
      concurrency: [2, '3', '4', [2, 3, 4]],
      pollInterval: ['10s', '2000', '1m', [10_000, 2000, 60_000]],
      baseRef: ['main', 'dev', 'v1', ['main', 'dev', 'v1']],
      defaultSection: ['x', 'y', 'z', ['x', 'y', 'z']],
      worktreeDir: ['w1', 'w2', 'w3', ['w1', 'w2', 'w3']],
      agent: ['codex', 'claude', 'codex', ['codex', 'claude', 'codex']],
      command: [['a'], '["b", "c"]', ['d', 'e'], [['a'], ['b', 'c'], ['d', 'e']]],
      claudeBin: ['c1', 'c2', 'c3', ['c1', 'c2', 'c3']],
      codexBin: ['x1', 'x2', 'x3', ['x1', 'x2', 'x3']],
      agentArgs: [['--x'], '["--y", "1"]', '[]', [['--x'], ['--y', '1'], []]],
      model: ['opus', 'haiku', 'model-x', ['opus', 'haiku', 'model-x']],
      models: [
        { codex: { opus: 'a' } },
        '{"codex": {"opus": "b"}}',
        { claude: { opus: 'c' } },
        [{ codex: { opus: 'a' } }, { codex: { opus: 'b' } }, { claude: { opus: 'c' } }],
      ],
      prices: [
        { m: { input: 1, output: 2 } },
        '{"m": {"input": 3, "output": 4}}',
        {},
        [{ m: { input: 1, output: 2 } }, { m: { input: 3, output: 4 } }, {}],
      ],
      workflow: ['build', 'plan-implement', 'mine', ['build', 'plan-implement', 'mine']],
      stepTimeout: [1000, '2m', '1h', [1000, 120_000, 3_600_000]],
      idleTimeout: ['5m', '90s', 250, [300_000, 90_000, 250]],
      retries: [0, '2', '3', [0, 2, 3]],
      retryBackoff: ['2s', '500', '1m', [2000, 500, 60_000]],
      maxRetryBackoff: ['10m', '30s', 1000, [600_000, 30_000, 1000]],
      maxCostPerTask: [0.5, '2', '1.25', [0.5, 2, 1.25]],
      maxCostPerDay: [20, '5.5', '100', [20, 5.5, 100]],
      http: [8080, '127.0.0.1:9000', '0.0.0.0:1', [8080, '127.0.0.1:9000', '0.0.0.0:1']],
      httpToken: [
        'a'.repeat(16),
        'b'.repeat(20),
        'c'.repeat(32),
        ['a'.repeat(16), 'b'.repeat(20), 'c'.repeat(32)],
      ],
      notify: [['n'], '["m", "1"]', ['o'], [['n'], ['m', '1'], ['o']]],
      hooks: [
        { afterCreate: 'npm ci' },
        '{"beforeRun": "make"}',
        '{}',
        [{ afterCreate: 'npm ci' }, { beforeRun: 'make' }, {}],
      ],
      hooksTimeout: ['2m', '500', '1s', [120_000, 500, 1000]],
      linkDirs: [
        ['node_modules'],
        '["vendor/bundle"]',
        '[]',
        [['node_modules'], ['vendor/bundle'], []],
      ],
      land: ['push', 'pr', 'none', ['push', 'pr', 'none']],
      remote: ['origin', 'up', 'fork', ['origin', 'up', 'fork']],
      prBase: ['main', 'dev', 'trunk', ['main', 'dev', 'trunk']],
      sectionChecks: [['npm test'], '["make check"]', '[]', [['npm test'], ['make check'], []]],
      onConflict: ['resolve', 'fail', 'resolve', ['resolve', 'fail', 'resolve']],
      queue: [
        'redis://a:6379',
        'rediss://:pw@b:6380/1',
        'redis://c/2',
        ['redis://a:6379', 'rediss://:pw@b:6380/1', 'redis://c/2'],
      ],
      queueLockDuration: ['10s', '2000', '1m', [10_000, 2000, 60_000]],
      queueStalledInterval: ['5s', '500', '2s', [5000, 500, 2000]],
      queueOutageGrace: ['10m', '90s', '1h', [600_000, 90_000, 3_600_000]],
    };

  it.each(configKeys)('takes `%s` from flag over env over file over default', async (key) => {
    const [fileValue, envValue, flagValue, [fromFile, fromEnv, fromFlag]] = samples[key];
    const env = { [`ADW_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`]: envValue };
    const repoDir = await repoWith({ [key]: fileValue });

    const file = await loadConfig({ repoDir, env: {} });
    expect([file.config[key], file.sources[key]]).toEqual([fromFile, 'file']);
    const overEnv = await loadConfig({ repoDir, env });
    expect([overEnv.config[key], overEnv.sources[key]]).toEqual([fromEnv, 'env']);
    const overFlag = await loadConfig({ repoDir, env, flags: { [key]: flagValue } });
    expect([overFlag.config[key], overFlag.sources[key]]).toEqual([fromFlag, 'flag']);
    const flagOnly = await loadConfig({
      repoDir: await repoWith(),
      env: {},
      flags: { [key]: flagValue },
    });
    expect([flagOnly.config[key], flagOnly.sources[key]]).toEqual([fromFlag, 'flag']);
  });

  it('resolves each key on its own: one load mixes every source', async () => {
    const repoDir = await repoWith({ concurrency: 2, model: 'opus', retries: 0 });
    const loaded = await loadConfig({
      repoDir,
      env: { ADW_MODEL: 'haiku', ADW_STEP_TIMEOUT: '5m' },
      flags: { stepTimeout: '7m' },
    });
    expect(loaded.config).toMatchObject({
      concurrency: 2,
      model: 'haiku',
      stepTimeout: 420_000,
      retries: 0,
    });
    expect(loaded.sources).toMatchObject({
      concurrency: 'file',
      model: 'env',
      stepTimeout: 'flag',
      retries: 'file',
      idleTimeout: 'default',
    });
  });

  it('never reads ADW_* variables it does not own, and treats an empty variable as unset', async () => {
    const repoDir = await repoWith();
    const env = {
      ADW_ID: 'not-a-config',
      ADW_SECTION: 'feature/x',
      ADW_STEP: 'implement',
      ADW_WORKTREE: '/somewhere',
      ADW_BRANCH: 'feature-x-1a2b3c4d',
      ADW_CONCURENCY: 'typo',
      ADW_SOMETHING_ELSE: '{',
      ADW_MODEL: '',
      ADW_CONCURRENCY: '',
    };
    const loaded = await loadConfig({ repoDir, env });
    expect(loaded.config).toEqual(configSchema.parse({}));
    expect(loaded.sources.model).toBe('default');
  });

  it('ignores undefined flags and options that are not config keys', async () => {
    const repoDir = await repoWith({ concurrency: 2 });
    const flags = { concurrency: undefined, once: true, poll: 'yes' } as Record<string, unknown>;
    const loaded = await loadConfig({ repoDir, env: {}, flags });
    expect(loaded.config.concurrency).toBe(2);
    expect(loaded.sources.concurrency).toBe('file');
  });

  it('reads process.env when no env is given', async () => {
    const repoDir = await repoWith();
    const before = process.env.ADW_WORKFLOW;
    process.env.ADW_WORKFLOW = 'from-process-env';
    try {
      const loaded = await loadConfig({ repoDir });
      expect([loaded.config.workflow, loaded.sources.workflow]).toEqual([
        'from-process-env',
        'env',
      ]);
    } finally {
      if (before === undefined) delete process.env.ADW_WORKFLOW;
      else process.env.ADW_WORKFLOW = before;
    }
  });

  it('accepts agent "command" when command comes from another layer', async () => {
    const repoDir = await repoWith({ command: ['node', 'agent.mjs'] });
    const loaded = await loadConfig({ repoDir, env: {}, flags: { agent: 'command' } });
    expect(loaded.config.agent).toBe('command');
    expect(loaded.config.command).toEqual(['node', 'agent.mjs']);
  });
});
