// Checks a value against its rule (value-rules.ts) as the zod schema it was read from would, and
// gives what the schema would give (durations in milliseconds, defaults filled in), without zod.
// Where zod has a subtlety that a configuration can meet, it is followed: strings are measured in
// code points, numbers must be finite, a record skips a `__proto__` key.
import { VALUE_CHECKS, VALUE_TRANSFORMS } from './value-checks.js';
import type { ValueCheck, ValueRule } from './value-rules.js';

/** What a value that fails its rule checks as. */
export const INVALID: unique symbol = Symbol('invalid');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function passes(check: ValueCheck, value: unknown): boolean {
  switch (check.check) {
    case 'min_length':
      // Code points for a string, as zod counts them.
      return (
        (typeof value === 'string' ? Array.from(value) : (value as unknown[])).length >=
        check.minimum
      );
    case 'greater_than':
      return check.inclusive ? (value as number) >= check.value : (value as number) > check.value;
    case 'less_than':
      return check.inclusive ? (value as number) <= check.value : (value as number) < check.value;
    case 'safeint':
      return Number.isSafeInteger(value);
    case 'custom':
      return (VALUE_CHECKS[check.name] as (value: unknown) => boolean)(value);
  }
}

function checkEach(element: ValueRule, values: unknown[]): unknown {
  const out: unknown[] = [];
  for (const value of values) {
    const checked = checkRule(element, value);
    if (checked === INVALID) return INVALID;
    out.push(checked);
  }
  return out;
}

function checkRecord(rule: ValueRule & { type: 'record' }, value: unknown): unknown {
  if (!isPlainObject(value)) return INVALID;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    if (checkRule(rule.key, key) === INVALID) return INVALID;
    const checked = checkRule(rule.value, value[key]);
    if (checked === INVALID) return INVALID;
    out[key] = checked;
  }
  return out;
}

function checkObject(rule: ValueRule & { type: 'object' }, value: unknown): unknown {
  if (!isObject(value)) return INVALID;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(rule.shape)) {
    const present = key in value;
    if (!present && field.type === 'optional') continue;
    const checked = checkRule(field, value[key]);
    if (checked === INVALID) return INVALID;
    if (present || checked !== undefined) out[key] = checked;
  }
  if (rule.strict) {
    for (const key in value) if (!Object.hasOwn(rule.shape, key)) return INVALID;
  }
  return out;
}

function checkType(rule: ValueRule, value: unknown): unknown {
  switch (rule.type) {
    case 'string':
      return typeof value === 'string' ? value : INVALID;
    case 'number': {
      let number = value;
      try {
        if (rule.coerce) number = Number(value);
      } catch {
        // A value Number() refuses (a symbol) stays as it was, and fails below.
      }
      return typeof number === 'number' && Number.isFinite(number) ? number : INVALID;
    }
    case 'enum':
      return rule.members.includes(value as string) ? value : INVALID;
    case 'array':
      return Array.isArray(value) ? checkEach(rule.element, value) : INVALID;
    case 'record':
      return checkRecord(rule, value);
    case 'object':
      return checkObject(rule, value);
    case 'optional':
      return value === undefined ? undefined : checkRule(rule.inner, value);
    case 'default':
      return value === undefined ? structuredClone(rule.value) : checkRule(rule.inner, value);
    case 'union':
      for (const option of rule.options) {
        const checked = checkRule(option, value);
        if (checked !== INVALID) return checked;
      }
      return INVALID;
    case 'pipe': {
      const checked = checkRule(rule.in, value);
      return checked === INVALID ? INVALID : checkRule(rule.out, checked);
    }
    case 'transform':
      return (VALUE_TRANSFORMS[rule.name] as (value: unknown) => unknown)(value) ?? INVALID;
  }
}

/** The value as the schema gives it (transformed, defaults filled in), or INVALID. */
export function checkRule(rule: ValueRule, value: unknown): unknown {
  const checked = checkType(rule, value);
  if (checked === INVALID) return INVALID;
  return (rule.checks ?? []).every((check) => passes(check, checked)) ? checked : INVALID;
}
