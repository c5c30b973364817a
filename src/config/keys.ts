import type { Config } from './schema.js';

/** The name of one configuration key, as written in adw-trigger.json. */
export type ConfigKey = keyof Config;

/** How a key's value is written and checked; drives env/flag coercion, messages and display. */
export type ConfigKind =
  | 'name'
  | 'positive-int'
  | 'concurrency'
  | 'count'
  | 'duration'
  | 'interval'
  | 'agent'
  | 'argv'
  | 'args'
  | 'revision'
  | 'section'
  | 'folder'
  | 'model'
  | 'models'
  | 'prices'
  | 'listen'
  | 'secret'
  | 'hooks'
  | 'paths'
  | 'land'
  | 'commands'
  | 'on-conflict'
  | 'usd'
  | 'redis-url';

// Typed as a full record so that a key added to the schema without a kind fails to compile; listed
// in schema order (a test compares the two).
const kinds: Record<ConfigKey, ConfigKind> = {
  tasks: 'name',
  concurrency: 'concurrency',
  pollInterval: 'interval',
  baseRef: 'revision',
  defaultSection: 'section',
  worktreeDir: 'folder',
  agent: 'agent',
  command: 'argv',
  claudeBin: 'name',
  codexBin: 'name',
  agentArgs: 'args',
  model: 'model',
  models: 'models',
  prices: 'prices',
  workflow: 'name',
  stepTimeout: 'duration',
  idleTimeout: 'duration',
  retries: 'count',
  retryBackoff: 'duration',
  maxRetryBackoff: 'duration',
  maxCostPerTask: 'usd',
  maxCostPerDay: 'usd',
  http: 'listen',
  httpToken: 'secret',
  notify: 'argv',
  hooks: 'hooks',
  hooksTimeout: 'duration',
  linkDirs: 'paths',
  land: 'land',
  remote: 'name',
  prBase: 'name',
  sectionChecks: 'commands',
  onConflict: 'on-conflict',
  queue: 'redis-url',
  queueLockDuration: 'duration',
  queueStalledInterval: 'duration',
  queueOutageGrace: 'duration',
};

/**
 * Every configuration key, in the order of the schema (and of `adw-trigger config`). Read from the
 * kinds above, not from the schema, so that knowing the keys does not load zod.
 */
export const configKeys: readonly ConfigKey[] = Object.keys(kinds) as ConfigKey[];

/** The kind of value a key holds. */
export function configKind(key: ConfigKey): ConfigKind {
  return kinds[key];
}

/** True when `name` is a configuration key. */
export function isConfigKey(name: string): name is ConfigKey {
  return (configKeys as readonly string[]).includes(name);
}

/** The environment variable of a key: `stepTimeout` → `ADW_STEP_TIMEOUT`. */
export function envName(key: ConfigKey): string {
  return `ADW_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/** The command-line flag of a key: `stepTimeout` → `--step-timeout`. */
export function flagName(key: ConfigKey): string {
  return `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
