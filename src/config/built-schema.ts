import { readFileSync } from 'node:fs';
import { errnoCode } from '../system/errno.js';
import type { Config, SchemaFacts } from './schema.js';

/**
 * Where the build writes `schemaFacts()` as JSON, beside the compiled loader: a command whose
 * configuration has nothing to check (no file, variable or flag) then never loads zod. A run from
 * source has no such file and asks the schema.
 */
export const BUILT_SCHEMA_URL = new URL('./schema.json', import.meta.url);

let builtText: string | null | undefined;

// The text of the built file, read once; null when there is none.
function readBuilt(): string | null {
  if (builtText !== undefined) return builtText;
  try {
    builtText = readFileSync(BUILT_SCHEMA_URL, 'utf8');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    builtText = null;
  }
  return builtText;
}

/** The schema's defaults and descriptions, a fresh copy each call; zod only without a build. */
export async function builtSchemaFacts(): Promise<SchemaFacts> {
  const text = readBuilt();
  if (text !== null) return JSON.parse(text) as SchemaFacts;
  return (await import('./schema.js')).schemaFacts();
}

/** Every key at its default, a fresh object each call. */
export async function defaultConfig(): Promise<Config> {
  return (await builtSchemaFacts()).defaults;
}
