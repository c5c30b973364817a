import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errnoCode } from '../system/errno.js';
import type { Config, SchemaFacts } from './schema.js';

/**
 * Where the build writes `schemaFacts()` as JSON, beside the compiled loader: a command whose
 * configuration has nothing to check (no file, variable or flag) then never loads zod. A run from
 * source has no such file and asks the schema.
 */
export const BUILT_SCHEMA_URL = new URL('./schema.json', import.meta.url);

const SCHEMA_MODULE_URL = new URL('./schema.js', import.meta.url);

/** What the build writes: the facts, and the fingerprint of the compiled schema they came from. */
export interface BuiltSchema {
  fingerprint: string;
  facts: SchemaFacts;
}

// A file that is not there reads as null.
function readOrNull(url: URL): Buffer | null {
  try {
    return readFileSync(url);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    return null;
  }
}

/** The fingerprint of the compiled schema module beside this one (null when running from source). */
export function schemaFingerprint(): string | null {
  const bytes = readOrNull(SCHEMA_MODULE_URL);
  return bytes === null ? null : createHash('sha256').update(bytes).digest('hex');
}

/** The facts of a built file, or null when it was written for another schema (a partial rebuild). */
export function factsOf(text: string, fingerprint: string | null): SchemaFacts | null {
  const built = JSON.parse(text) as BuiltSchema;
  return built.fingerprint === fingerprint ? built.facts : null;
}

let builtText: string | null | undefined;

/** The schema's defaults and descriptions, a fresh copy each call; zod only without a build. */
export async function builtSchemaFacts(): Promise<SchemaFacts> {
  builtText ??= readOrNull(BUILT_SCHEMA_URL)?.toString('utf8') ?? null;
  const facts = builtText === null ? null : factsOf(builtText, schemaFingerprint());
  return facts ?? (await import('./schema.js')).schemaFacts();
}

/** Every key at its default, a fresh object each call. */
export async function defaultConfig(): Promise<Config> {
  return (await builtSchemaFacts()).defaults;
}
