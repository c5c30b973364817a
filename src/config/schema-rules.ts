// Reads the value rules (value-rules.ts) out of a zod schema. Runs at build time (and when a
// command runs without the build's data): a schema feature it does not know is an error, so that
// a new kind of key fails the build instead of being checked loosely.
import {
  VALUE_CHECKS,
  VALUE_TRANSFORMS,
  type ValueCheckName,
  type ValueTransformName,
} from './value-checks.js';
import type { ValueCheck, ValueRule } from './value-rules.js';

// The parts of zod's definitions read here (zod 4: `schema._zod.def`).
interface ZodDef {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  [field: string]: unknown;
}
interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  value?: number;
  inclusive?: boolean;
  fn?: unknown;
}
interface ZodLike {
  _zod: { def: ZodDef };
}

function unsupported(what: string): Error {
  return new Error(`the configuration schema uses ${what}, which the plain checker cannot check`);
}

function nameOf<T extends string>(table: Record<T, unknown>, fn: unknown, what: string): T {
  const entry = Object.entries(table).find(([, value]) => value === fn);
  if (entry === undefined) throw unsupported(`a ${what} not named in value-checks.ts`);
  return entry[0] as T;
}

// A transform of the schema is known by its name in `transforms` (schema.ts), which must also
// name a plain transform.
function transformName(transforms: Record<string, unknown>, fn: unknown): ValueTransformName {
  const name = nameOf(transforms, fn, 'transform');
  if (!(name in VALUE_TRANSFORMS)) throw unsupported(`the transform ${name}`);
  return name as ValueTransformName;
}

function checkOf(def: CheckDef): ValueCheck {
  switch (def.check) {
    case 'min_length':
      return { check: 'min_length', minimum: def.minimum ?? 0 };
    case 'greater_than':
    case 'less_than':
      return { check: def.check, value: def.value ?? 0, inclusive: def.inclusive === true };
    case 'number_format':
      if (def.format === 'safeint') return { check: 'safeint' };
      throw unsupported(`the number format ${def.format}`);
    case 'custom':
      return { check: 'custom', name: nameOf<ValueCheckName>(VALUE_CHECKS, def.fn, 'refinement') };
    default:
      throw unsupported(`the check ${def.check}`);
  }
}

function shapeOf(def: ZodDef, transforms: Record<string, unknown>): ValueRule {
  const inner = (field: string): ValueRule => valueRules(def[field], transforms);
  switch (def.type) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number', coerce: def.coerce === true };
    case 'enum':
      return { type: 'enum', members: Object.values(def.entries as Record<string, string>) };
    case 'array':
      return { type: 'array', element: inner('element') };
    case 'record':
      if (def.partial !== true && (def.keyType as ZodLike)._zod.def.type !== 'string')
        throw unsupported('a record that needs every key');
      return { type: 'record', key: inner('keyType'), value: inner('valueType') };
    case 'object': {
      const catchall = (def.catchall as ZodLike | undefined)?._zod.def.type;
      if (catchall !== undefined && catchall !== 'never') throw unsupported('an object catchall');
      const shape = Object.entries(def.shape as Record<string, ZodLike>).map(
        ([key, schema]) => [key, valueRules(schema, transforms)] as const,
      );
      return { type: 'object', shape: Object.fromEntries(shape), strict: catchall === 'never' };
    }
    case 'optional':
      return { type: 'optional', inner: inner('innerType') };
    case 'default':
      return { type: 'default', inner: inner('innerType'), value: def.defaultValue };
    case 'union':
      return {
        type: 'union',
        options: (def.options as ZodLike[]).map((option) => valueRules(option, transforms)),
      };
    case 'pipe':
      return { type: 'pipe', in: inner('in'), out: inner('out') };
    case 'transform':
      return { type: 'transform', name: transformName(transforms, def.transform) };
    default:
      throw unsupported(`the type ${def.type}`);
  }
}

/** The rule of one zod schema, with its checks; `transforms` names the schema's transforms. */
export function valueRules(schema: unknown, transforms: Record<string, unknown>): ValueRule {
  const def = (schema as ZodLike)._zod.def;
  const rule = shapeOf(def, transforms);
  const checks = (def.checks ?? []).map((check) => checkOf(check._zod.def));
  return checks.length === 0 ? rule : { ...rule, checks };
}
