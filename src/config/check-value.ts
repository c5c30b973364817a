import type { ConfigChecker } from './config-checker.js';
import { expectedValue, showValue, type ValueForm } from './expected-value.js';
import { configKind, type ConfigKey, type ConfigKind } from './keys.js';
import { INVALID } from './plain-check.js';

/** A value that passed its key's schema (as the checker gives it), or the sentence saying why not. */
export type CheckedValue = { ok: true; value: unknown } | { ok: false; message: string };

const NUMERIC = /^\s*-?\d+(?:\.\d+)?\s*$/;

const NUMBER_KINDS = new Set<ConfigKind>([
  'positive-int',
  'concurrency',
  'count',
  'duration',
  'interval',
  'usd',
]);
// Kinds whose text form (env, flag) is JSON.
const JSON_KINDS = new Set<ConfigKind>([
  'argv',
  'args',
  'models',
  'prices',
  'hooks',
  'paths',
  'commands',
]);
const INTEGER_KINDS = new Set<ConfigKind>(['positive-int', 'concurrency', 'count']);

// Env vars and flags arrive as strings: numbers and JSON arrays are read out of them here, so
// that `ADW_CONCURRENCY=0` is reported as `0` and `ADW_STEP_TIMEOUT=soon` as `"soon"`.
function fromText(kind: ConfigKind, text: string): unknown {
  if (NUMBER_KINDS.has(kind)) {
    return NUMERIC.test(text) ? Number(text) : text;
  }
  if (JSON_KINDS.has(kind)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Checks one value of one key with `checker`; numbers and arrays are read out of text. */
export function checkValue(
  key: ConfigKey,
  raw: unknown,
  form: ValueForm,
  checker: ConfigChecker,
): CheckedValue {
  const kind = configKind(key);
  const value = form === 'text' && typeof raw === 'string' ? fromText(kind, raw) : raw;
  const failure: CheckedValue = {
    ok: false,
    message: `Expected \`${key}\` to be ${expectedValue(key, form)}, got \`${showValue(value)}\``,
  };
  // The schema coerces integers (`true` would become 1): only real numbers get that far.
  if (INTEGER_KINDS.has(kind) && typeof value !== 'number') return failure;
  const checked = checker.check(key, value);
  return checked === INVALID ? failure : { ok: true, value: checked };
}
