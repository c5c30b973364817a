import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, formatConfigValue } from '../../src/config/describe.js';
import { configKeys, loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/temp.js';

describe('describeConfig', () => {
  it('lists every key with its value as people write it and where it came from', async () => {
    const repoDir = await tempDir();
    await writeFile(
      join(repoDir, 'adw-trigger.json'),
      '{"stepTimeout": 5400000, "agentArgs": ["--x"]}',
    );
    const loaded = await loadConfig({
      repoDir,
      env: { ADW_IDLE_TIMEOUT: '90s' },
      flags: { concurrency: '3' },
    });
    const rows = await describeConfig(loaded);
    expect(rows.map((row) => row.key)).toEqual(configKeys);
    const byKey = Object.fromEntries(rows.map((row) => [row.key, row]));
    expect(byKey.stepTimeout).toEqual({
      key: 'stepTimeout',
      value: '90m',
      source: 'file',
      description: 'wall-clock limit of one step',
    });
    expect(byKey.idleTimeout).toMatchObject({ value: '90s', source: 'env' });
    expect(byKey.concurrency).toMatchObject({ value: '3', source: 'flag' });
    expect(byKey.pollInterval).toMatchObject({ value: '5s', source: 'default' });
    expect(byKey.agentArgs).toMatchObject({ value: '["--x"]', source: 'file' });
    expect(byKey.command).toMatchObject({ value: 'none', source: 'default' });
    expect(byKey.tasks).toMatchObject({ value: 'tasks.md', source: 'default' });
  });

  it.each<[Parameters<typeof formatConfigValue>[0], unknown, string]>([
    ['stepTimeout', 1_800_000, '30m'],
    ['pollInterval', 1500, '1500ms'],
    ['retries', 0, '0'],
    ['command', ['node', 'a b.mjs'], '["node","a b.mjs"]'],
    ['command', undefined, 'none'],
    ['model', 'opus', 'opus'],
  ])('formats %s = %j as %s', (key, value, shown) => {
    expect(formatConfigValue(key, value)).toBe(shown);
  });
});

describe('the queue URL', () => {
  it('is shown without its password', () => {
    expect(formatConfigValue('queue', 'rediss://:s3cret@redis.internal:6380/2')).toBe(
      'rediss://:***@redis.internal:6380/2',
    );
    expect(formatConfigValue('queue', 'redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('must be a redis:// or rediss:// URL', async () => {
    const repoDir = await tempDir();
    await writeFile(join(repoDir, 'adw-trigger.json'), '{"queue": "http://example.com"}');
    await expect(loadConfig({ repoDir, env: {} })).rejects.toThrow(
      'Expected `queue` to be a Redis URL such as "redis://127.0.0.1:6379"',
    );
  });
});
