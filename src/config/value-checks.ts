// The refinements and transforms of the configuration schema, by name and without zod: the schema
// (schema.ts) uses these very functions, and the build writes their names into the value rules
// that the plain checker (plain-check.ts) reads, so both run the same code on a value.
import { branchNameProblem } from '../tasks/branch-name.js';
import { isModelName } from '../tasks/model-name.js';
import { parseDuration } from './duration.js';
import { parseListenAddress } from './listen-address.js';

/** The shortest safety-net rescan interval: below it an idle daemon spends its time rescanning. */
export const MIN_POLL_INTERVAL_MS = 100;
/** Section names become part of branch and folder names (`<section>-<ID>`), which have a size limit. */
export const MAX_SECTION_LENGTH = 200;

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

// A Redis server: redis:// or rediss:// (TLS), optionally with a password and a database number.
function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'redis:' || url.protocol === 'rediss:') &&
      url.hostname !== '' &&
      /^(\/\d*)?$/.test(url.pathname)
    );
  } catch {
    return false;
  }
}

/** Each refinement of the schema: true when the value (already of the right type) passes. */
export const VALUE_CHECKS = {
  // A directory inside the repository: relative, no `..`, not git's own.
  relativePath: (path: string): boolean =>
    !path.startsWith('/') && !path.split(/[\\/]/).some((part) => part === '..' || part === '.git'),
  model: isModelName,
  section: (value: string): boolean =>
    branchNameProblem(value) === null && value.length <= MAX_SECTION_LENGTH,
  // A revision git reads: never an option, never a range or whitespace.
  revision: (value: string): boolean =>
    !value.startsWith('-') && !CONTROL.test(value) && !/\s|\.\./.test(value),
  // A folder inside the repository, other than its .git and .adw.
  folder: (value: string): boolean => {
    if (value.startsWith('/') || value.startsWith('-') || CONTROL.test(value)) return false;
    const parts = value.split('/').filter((part) => part !== '' && part !== '.');
    return parts.length > 0 && !parts.includes('..') && parts[0] !== '.git' && parts[0] !== '.adw';
  },
  pollInterval: (ms: number): boolean => ms >= MIN_POLL_INTERVAL_MS,
  listen: (value: number | string): boolean => parseListenAddress(value) !== null,
  redisUrl: isRedisUrl,
};

/** A duration in milliseconds, or null when the value is not one (0 is not one either). */
function durationMs(value: number | string): number | null {
  const ms = parseDuration(value);
  return ms === null || ms === 0 ? null : ms;
}

/** Each transform of the schema: the value it becomes, or null when it cannot become one. */
export const VALUE_TRANSFORMS = {
  duration: durationMs,
};

export type ValueCheckName = keyof typeof VALUE_CHECKS;
export type ValueTransformName = keyof typeof VALUE_TRANSFORMS;
