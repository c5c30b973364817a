// What a configuration key accepts, as plain data: read out of the zod schema at build time
// (schema-rules.ts), written into dist/config/schema.json, and checked by plain-check.ts without
// zod. Each rule mirrors one zod schema; `checks` are its checks, in the schema's order.
import type { ValueCheckName, ValueTransformName } from './value-checks.js';

export type ValueCheck =
  | { check: 'min_length'; minimum: number }
  | { check: 'greater_than'; value: number; inclusive: boolean }
  | { check: 'less_than'; value: number; inclusive: boolean }
  | { check: 'safeint' }
  | { check: 'custom'; name: ValueCheckName };

export type ValueRule = (
  | { type: 'string' }
  | { type: 'number'; coerce: boolean }
  | { type: 'enum'; members: string[] }
  | { type: 'array'; element: ValueRule }
  | { type: 'record'; key: ValueRule; value: ValueRule }
  | { type: 'object'; shape: Record<string, ValueRule>; strict: boolean }
  | { type: 'optional'; inner: ValueRule }
  | { type: 'default'; inner: ValueRule; value: unknown }
  | { type: 'union'; options: ValueRule[] }
  | { type: 'pipe'; in: ValueRule; out: ValueRule }
  | { type: 'transform'; name: ValueTransformName }
) & { checks?: ValueCheck[] };
