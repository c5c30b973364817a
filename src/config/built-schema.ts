import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errnoCode } from '../system/errno.js';
import type { Config, SchemaFacts } from './schema.js';

/**
 * Where the build writes `schemaFacts()` as JSON, beside the compiled loader: a command then never
 * loads zod, whether its configuration has nothing to check (the defaults) or sets keys (the value
 * rules, plain-check.ts). A run from source has no such file and asks the schema.
 */
export const BUILT_SCHEMA_URL = new URL('./schema.json', import.meta.url);

// The compiled modules the facts are computed from: the schema, and what reads its rules.
const SOURCE_URLS = ['./schema.js', './schema-rules.js', './value-checks.js'].map(
  (name) => new URL(name, import.meta.url),
);

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

/** The fingerprint of the compiled schema modules beside this one (null when running from source). */
export function schemaFingerprint(): string | null {
  const hash = createHash('sha256');
  for (const url of SOURCE_URLS) {
    const bytes = readOrNull(url);
    if (bytes === null) return null;
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** The facts of a built file, or null when it was written for another schema (a partial rebuild). */
export function factsOf(text: string, fingerprint: string | null): SchemaFacts | null {
  const built = JSON.parse(text) as BuiltSchema;
  return built.fingerprint === fingerprint ? built.facts : null;
}

let builtText: string | null | undefined;

/** The facts the build wrote, a fresh copy each call; null without a build or beside another schema. */
export function builtFacts(): SchemaFacts | null {
  builtText ??= readOrNull(BUILT_SCHEMA_URL)?.toString('utf8') ?? null;
  return builtText === null ? null : factsOf(builtText, schemaFingerprint());
}

/** The schema's defaults, descriptions and rules, a fresh copy each call; zod only without a build. */
export async function builtSchemaFacts(): Promise<SchemaFacts> {
  return builtFacts() ?? (await import('./schema.js')).schemaFacts();
}

/** Every key at its default, a fresh object each call. */
export async function defaultConfig(): Promise<Config> {
  return (await builtSchemaFacts()).defaults;
}
