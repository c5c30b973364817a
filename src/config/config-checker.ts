import { builtFacts } from './built-schema.js';
import { configKeys, type ConfigKey } from './keys.js';
import { checkRule } from './plain-check.js';
import type { Config, SchemaFacts } from './schema.js';

/**
 * How loadConfig checks the values it found: with the value rules the build wrote (no zod), or
 * with the schema itself when there are none (a run from source, a partial rebuild).
 */
export interface ConfigChecker {
  /** The value a key takes, or INVALID (plain-check.ts) when the key's schema refuses it. */
  check(key: ConfigKey, value: unknown): unknown;
  /** The configuration: the checked values, every other key at its default. */
  resolve(input: Partial<Record<ConfigKey, unknown>>): Config;
}

/** The checker of the value rules in `facts`; it gives what the schema gives for the same values. */
export function plainChecker(facts: SchemaFacts): ConfigChecker {
  return {
    check: (key, value) => checkRule(facts.rules[key], value),
    resolve: (input) => {
      const config: Partial<Record<ConfigKey, unknown>> = {};
      // In the schema's order, as zod builds its output.
      for (const key of configKeys) {
        if (key in input) config[key] = input[key];
        else if (key in facts.defaults) config[key] = facts.defaults[key];
      }
      return config as Config;
    },
  };
}

/** The plain checker when the build's rules match the schema, else the schema (zod). */
export async function configChecker(): Promise<ConfigChecker> {
  const facts = builtFacts();
  return facts === null ? (await import('./zod-checker.js')).zodChecker() : plainChecker(facts);
}
