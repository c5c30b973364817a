import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { checkValue } from '../../src/config/check-value.js';
import { plainChecker, type ConfigChecker } from '../../src/config/config-checker.js';
import { configKeys, loadConfig, type ConfigKey } from '../../src/config/load.js';
import { INVALID, checkRule } from '../../src/config/plain-check.js';
import { configSchema, schemaFacts } from '../../src/config/schema.js';
import { valueRules } from '../../src/config/schema-rules.js';
import { zodChecker } from '../../src/config/zod-checker.js';
import { repoWith } from './config-fixtures.js';

// The value rules the build writes, read out of the schema the same way.
const facts = schemaFacts();
const plain = (): Promise<ConfigChecker> => Promise.resolve(plainChecker(schemaFacts()));
const zod = (): Promise<ConfigChecker> => Promise.resolve(zodChecker());

/** What loading gives: the configuration as JSON (key order included) and sources, or the error. */
async function outcome(
  file: unknown,
  env: Record<string, string>,
  checker: () => Promise<ConfigChecker>,
): Promise<unknown> {
  const repoDir = await repoWith(file);
  try {
    const loaded = await loadConfig({ repoDir, env, checker });
    return { json: JSON.stringify(loaded.config), config: loaded.config, sources: loaded.sources };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const ok = 'ok';
const bad = 'error';
const cases: [string, unknown, Record<string, string>, typeof ok | typeof bad][] = [
  ['name', { tasks: 'todo.md', claudeBin: 'c', remote: 'up', prBase: 'dev' }, {}, ok],
  ['name empty', { tasks: '' }, {}, bad],
  ['name not a string', { workflow: 5 }, {}, bad],
  ['concurrency', { concurrency: 256 }, {}, ok],
  ['concurrency 0', { concurrency: 0 }, {}, bad],
  ['concurrency 257', { concurrency: 257 }, {}, bad],
  ['concurrency fraction', { concurrency: 2.5 }, {}, bad],
  ['concurrency as a JSON string', { concurrency: '3' }, {}, bad],
  ['concurrency as text', {}, { ADW_CONCURRENCY: ' 7 ' }, ok],
  ['concurrency true', { concurrency: true }, {}, bad],
  ['count 0', { retries: 0 }, {}, ok],
  ['count negative', {}, { ADW_RETRIES: '-1' }, bad],
  ['interval', { pollInterval: '2s' }, {}, ok],
  ['interval at the minimum', { pollInterval: '100ms' }, {}, ok],
  ['interval below the minimum', { pollInterval: 99 }, {}, bad],
  ['duration', { stepTimeout: '1.5h', idleTimeout: 250, hooksTimeout: ' 10 m ' }, {}, ok],
  ['duration zero', { stepTimeout: '0s' }, {}, bad],
  ['duration negative', { retryBackoff: -5 }, {}, bad],
  ['duration word', {}, { ADW_QUEUE_OUTAGE_GRACE: 'soon' }, bad],
  ['duration as text', {}, { ADW_MAX_RETRY_BACKOFF: '90000' }, ok],
  ['revision', { baseRef: 'origin/main' }, {}, ok],
  ['revision option', { baseRef: '-x' }, {}, bad],
  ['revision range', { baseRef: 'a..b' }, {}, bad],
  ['section', { defaultSection: 'feat' }, {}, ok],
  ['section with a space', { defaultSection: 'a b' }, {}, bad],
  ['section too long', { defaultSection: 'x'.repeat(201) }, {}, bad],
  ['folder', { worktreeDir: './trees/x' }, {}, ok],
  ['folder .git', { worktreeDir: '.git/trees' }, {}, bad],
  ['folder up', { worktreeDir: 'a/../../x' }, {}, bad],
  ['agent', { agent: 'codex' }, {}, ok],
  ['agent unknown', { agent: 'gpt' }, {}, bad],
  ['argv', { agent: 'command', command: ['node', 'a.mjs'], notify: ['n'] }, {}, ok],
  ['argv empty', { notify: [] }, {}, bad],
  ['argv not strings', { command: [1] }, {}, bad],
  ['command agent without a command', { agent: 'command' }, {}, bad],
  ['args', {}, { ADW_AGENT_ARGS: '["--max-turns", "30"]' }, ok],
  ['args not JSON', {}, { ADW_AGENT_ARGS: '--max-turns' }, bad],
  ['args with null', { agentArgs: [null] }, {}, bad],
  ['model', { model: 'claude-opus-4@x' }, {}, ok],
  ['model option', { model: '-x' }, {}, bad],
  ['models', { models: { codex: { opus: 'gpt-5' }, claude: {} } }, {}, ok],
  ['models unknown agent', { models: { gpt: {} } }, {}, bad],
  ['models bad name', { models: { codex: { o: '-bad' } } }, {}, bad],
  ['models array', { models: { codex: [] } }, {}, bad],
  [
    'prices',
    { prices: { b: { input: 0, output: 10, cachedInput: 0.1 }, a: { input: 1, output: 2 } } },
    {},
    ok,
  ],
  ['prices negative', { prices: { m: { input: -1, output: 1 } } }, {}, bad],
  ['prices missing output', { prices: { m: { input: 1 } } }, {}, bad],
  ['prices extra key', { prices: { m: { input: 1, output: 1, extra: 1 } } }, {}, bad],
  ['prices as text', {}, { ADW_PRICES: '{"gpt-5": {"input": 1.25, "output": 10}}' }, ok],
  ['usd', { maxCostPerTask: 0.5, maxCostPerDay: 20 }, {}, ok],
  ['usd zero', { maxCostPerDay: 0 }, {}, bad],
  ['listen port', { http: 8080 }, {}, ok],
  ['listen host and port', {}, { ADW_HTTP: '[::1]:9000' }, ok],
  ['listen too high', { http: '65536' }, {}, bad],
  ['listen boolean', { http: true }, {}, bad],
  ['secret', { httpToken: 'x'.repeat(16) }, {}, ok],
  ['secret short', { httpToken: 'short' }, {}, bad],
  ['secret counted in code points', { httpToken: '😀'.repeat(15) }, {}, bad],
  ['hooks, in schema order', { hooks: { beforeRemove: 'b', afterCreate: 'npm ci' } }, {}, ok],
  ['hooks empty script', { hooks: { afterCreate: '' } }, {}, bad],
  ['hooks unknown hook', { hooks: { other: 'x' } }, {}, bad],
  ['hooks a string', { hooks: 'npm ci' }, {}, bad],
  ['paths', { linkDirs: ['node_modules', 'a/b'] }, {}, ok],
  ['paths up', { linkDirs: ['../x'] }, {}, bad],
  ['paths .git', { linkDirs: ['x/.git'] }, {}, bad],
  ['land', { land: 'pr' }, {}, ok],
  ['land unknown', { land: 'merge' }, {}, bad],
  ['commands', { sectionChecks: ['npm test'] }, {}, ok],
  ['commands empty', { sectionChecks: [''] }, {}, bad],
  ['on-conflict', { onConflict: 'resolve' }, {}, ok],
  ['on-conflict unknown', { onConflict: 'merge' }, {}, bad],
  ['redis-url', { queue: 'rediss://:pw@host:6380/0' }, {}, ok],
  ['redis-url other scheme', { queue: 'http://host' }, {}, bad],
  ['redis-url path', { queue: 'redis://host/x' }, {}, bad],
  ['env over file', { concurrency: 2 }, { ADW_CONCURRENCY: '9' }, ok],
];

describe('the plain checker and the schema', () => {
  it.each(cases)('load the same: %s', async (_, file, env, expected) => {
    const fromRules = await outcome(file, env, plain);
    expect(fromRules).toEqual(await outcome(file, env, zod));
    expect(Object.keys(fromRules as object)).toEqual(
      expected === ok ? ['json', 'config', 'sources'] : ['error'],
    );
  });

  it('name the file, the key and the value in the same message', async () => {
    const message =
      'adw-trigger.json: Expected `concurrency` to be a whole number from 1 to 256, got `0`';
    expect(await outcome({ concurrency: 0 }, {}, plain)).toEqual({ error: message });
    expect(await outcome({ concurrency: 0 }, {}, zod)).toEqual({ error: message });
  });

  it('give the same values and defaults', async () => {
    const fromRules = (await outcome({ pollInterval: '2s' }, {}, plain)) as { config: unknown };
    expect(fromRules.config).toEqual({ ...configSchema.parse({}), pollInterval: 2000 });
  });
});

// Values of every kind the keys hold, valid and not, as a file's JSON gives them.
const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    ...['', 'HEAD', '-x', 'a..b', 'trees', '.git', '.adw/x', '../up', '/abs', 'gpt-5', '30s'],
    ...['1.5h', ' 10 m ', '0', '99ms', '100ms', '8080', '0.0.0.0:80', '[::1]:9', 'a b'],
    ...['redis://127.0.0.1:6379', 'rediss://:pw@h:6380/0', 'redis://h/x', 'http://x'],
    ...['x'.repeat(16), '😀'.repeat(15), '😀'.repeat(16), 'claude', 'codex', 'command'],
    ...['none', 'push', 'pr', 'fail', 'resolve', 'npm ci'],
  ),
);
const number = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.double(),
  fc.constantFrom(0, -0, 0.5, 99, 100, 256, 257, 65_536, 2 ** 53, 2 ** 53 - 1),
);
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const objectKey = fc.constantFrom(
  ...['claude', 'codex', 'command', 'gpt', 'afterCreate', 'beforeRun', 'afterRun'],
  ...['beforeRemove', 'input', 'output', 'cachedInput', 'other', '__proto__', 'constructor'],
);
const { value: anyValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(objectKey, tie('value'), { maxKeys: 4 }),
  ),
}));
const jsonValue = anyValue.map((value) => JSON.parse(JSON.stringify(value)) as unknown);

// What a key's check gives with `checker`, then the configuration it resolves to.
function checked(checker: ConfigChecker, key: ConfigKey, value: unknown, text: boolean): unknown {
  const result = checkValue(key, value, text ? 'text' : 'json', checker);
  if (!result.ok) return result;
  return { ok: true, config: JSON.stringify(checker.resolve({ [key]: result.value })) };
}

describe('the plain checker, on any value', () => {
  it('accepts what the schema accepts and gives what it gives', () => {
    fc.assert(
      fc.property(fc.constantFrom(...configKeys), jsonValue, (key, value) => {
        const fromRules = checkRule(facts.rules[key], value);
        const fromSchema = configSchema.shape[key].safeParse(value);
        expect(fromRules !== INVALID).toBe(fromSchema.success);
        if (fromSchema.success) {
          expect(fromRules).toStrictEqual(fromSchema.data);
          expect(JSON.stringify(fromRules)).toBe(JSON.stringify(fromSchema.data));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same message or configuration, from JSON and from text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...configKeys),
        fc.oneof(
          jsonValue,
          text,
          jsonValue.map((value) => JSON.stringify(value)),
        ),
        (key, value) => {
          const asText = typeof value === 'string';
          expect(checked(plainChecker(facts), key, value, asText)).toEqual(
            checked(zodChecker(), key, value, asText),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('treats numbers that JSON cannot hold as the schema does', () => {
    for (const key of configKeys) {
      for (const value of [Infinity, -Infinity, NaN, -0]) {
        const fromSchema = configSchema.shape[key].safeParse(value);
        const fromRules = checkRule(facts.rules[key], value);
        expect([key, fromRules !== INVALID]).toEqual([key, fromSchema.success]);
        if (fromSchema.success) expect(fromRules).toStrictEqual(fromSchema.data);
      }
    }
  });
});

describe('reading the rules out of a schema', () => {
  it('refuses what the plain checker could not check the same way', () => {
    expect(() => valueRules(z.string().regex(/x/), {})).toThrow(/string_format/);
    expect(() =>
      valueRules(
        z.string().refine(() => true),
        {},
      ),
    ).toThrow(/refinement/);
    expect(() => valueRules(z.number().transform(String), {})).toThrow(/transform/);
    expect(() => valueRules(z.record(z.enum(['a']), z.string()), {})).toThrow(/every key/);
    expect(() => valueRules(z.object({}).catchall(z.string()), {})).toThrow(/catchall/);
  });
});
