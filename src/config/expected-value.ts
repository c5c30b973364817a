// What each key expects, in words, and how a value found is shown: for messages, with no schema
// loaded (a config that has nothing to check never loads zod).
import { configKind, type ConfigKey, type ConfigKind } from './keys.js';

/** Where a value came from: typed JSON (the file, a flag already parsed) or text (env, flag). */
export type ValueForm = 'json' | 'text';

const EXPECTED: Record<ConfigKind, string> = {
  name: 'a non-empty string',
  'positive-int': 'a positive integer',
  concurrency: 'a whole number from 1 to 256',
  count: 'a whole number, 0 or more',
  duration: 'a duration such as 500, "30s", "10m" or "1h"',
  interval: 'a duration of at least 100ms such as 500, "5s" or "1m"',
  revision: 'a git revision such as "HEAD" or "main" (no leading "-", no spaces)',
  section: 'a valid git branch name of at most 200 characters, such as "adw"',
  folder: 'a folder inside the repository such as "trees" (relative, no "..", not .git or .adw)',
  model:
    'a model name such as "sonnet" or "gpt-5" (letters, digits and . _ : / @ + -, not starting with "-")',
  models: 'an object per agent of model tag to model name, such as {"codex": {"opus": "gpt-5"}}',
  prices: 'an object of model to {"input": USD, "output": USD} per million tokens',
  agent: '"claude", "codex" or "command"',
  argv: 'a non-empty array of strings such as ["node", "agent.mjs"]',
  args: 'an array of strings such as ["--max-turns", "30"]',
  listen: 'a port such as 8080, or HOST:PORT such as "0.0.0.0:8080"',
  secret: 'a string of at least 16 characters',
  hooks:
    'an object of shell scripts such as {"afterCreate": "npm ci"} (afterCreate, beforeRun, afterRun, beforeRemove)',
  paths: 'an array of relative paths inside the repository such as ["node_modules"]',
  land: '"none", "push" or "pr"',
  commands: 'an array of shell commands such as ["npm ci && npm test"]',
  'on-conflict': '"fail" or "resolve"',
  usd: 'an amount in USD greater than 0 such as 0.5 or 20',
  'redis-url': 'a Redis URL such as "redis://127.0.0.1:6379" or "rediss://:PASSWORD@HOST:6380/0"',
};

const MAX_SHOWN = 120;

// Env vars and flags are text, so an array there is written as JSON.
const EXPECTED_AS_TEXT: Partial<Record<ConfigKind, string>> = {
  argv: 'a non-empty JSON array of strings such as ["node", "agent.mjs"]',
  args: 'a JSON array of strings such as ["--max-turns", "30"]',
  models: 'a JSON object such as {"codex": {"opus": "gpt-5"}}',
  prices: 'a JSON object such as {"gpt-5": {"input": 1.25, "output": 10}}',
  hooks: 'a JSON object of shell scripts such as {"afterCreate": "npm ci"}',
  paths: 'a JSON array of relative paths such as ["node_modules"]',
  commands: 'a JSON array of shell commands such as ["npm test"]',
};

/** What a key expects, in words, for messages and docs. */
export function expectedValue(key: ConfigKey, form: ValueForm = 'json'): string {
  const kind = configKind(key);
  return (form === 'text' ? EXPECTED_AS_TEXT[kind] : undefined) ?? EXPECTED[kind];
}

/** A value as it appears in a message: JSON, on one line, cut when long. */
export function showValue(value: unknown): string {
  const shown = value === undefined ? 'undefined' : JSON.stringify(value);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…` : shown;
}
