import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { factsOf, type BuiltSchema } from '../../src/config/built-schema.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema, schemaFacts } from '../../src/config/schema.js';
import { tempDir } from '../helpers/temp.js';

type Loader = typeof import('../../src/config/load.js');

// The built program (test/global-setup.ts builds it, with the schema's defaults beside it).
const BUILT_LOAD = new URL('../../dist/config/load.js', import.meta.url).href;
const BUILT_FACTS = new URL('../../dist/config/schema.json', import.meta.url);

describe("the schema's defaults and descriptions written by the build", () => {
  it('are what the schema gives', async () => {
    const built = JSON.parse(await readFile(BUILT_FACTS, 'utf8')) as BuiltSchema;
    expect(built.facts).toEqual(schemaFacts());
    expect(built.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(schemaFacts().defaults).toEqual(configSchema.parse({}));
    expect(schemaFacts().descriptions.concurrency).toBe(configSchema.shape.concurrency.description);
  });

  it('give the same configuration as the schema when there is nothing to check', async () => {
    const repoDir = await tempDir();
    const { loadConfig: loadBuilt } = (await import(BUILT_LOAD)) as Loader;
    const fromBuild = await loadBuilt({ repoDir, env: {} });
    expect(fromBuild).toEqual(await loadConfig({ repoDir, env: {} }));
    expect(fromBuild.config).toEqual(configSchema.parse({}));
    expect(new Set(Object.values(fromBuild.sources))).toEqual(new Set(['default']));
  });

  it('each load gets its own copy', async () => {
    const repoDir = await tempDir();
    const { loadConfig: loadBuilt } = (await import(BUILT_LOAD)) as Loader;
    const first = await loadBuilt({ repoDir, env: {} });
    first.config.agentArgs.push('--changed');
    expect((await loadBuilt({ repoDir, env: {} })).config.agentArgs).toEqual([]);
  });

  it('are not used beside another schema (a partial rebuild): the schema is asked instead', () => {
    const text = JSON.stringify({ fingerprint: 'a'.repeat(64), facts: schemaFacts() });
    expect(factsOf(text, 'a'.repeat(64))).toEqual(schemaFacts());
    expect(factsOf(text, 'b'.repeat(64))).toBeNull();
    expect(factsOf(text, null)).toBeNull();
  });
});
