import { formatDuration } from './duration.js';
import { configKind, type ConfigKey } from './keys.js';
import { withoutPassword } from './redis-url.js';

/** Formats a resolved value: durations as `30m`, arrays as JSON, a missing value as `none`. */
export function formatConfigValue(key: ConfigKey, value: unknown): string {
  if (value === undefined) return 'none';
  if (configKind(key) === 'secret') return '(set, not shown)';
  if (configKind(key) === 'redis-url' && typeof value === 'string') return withoutPassword(value);
  if (
    (configKind(key) === 'duration' || configKind(key) === 'interval') &&
    typeof value === 'number'
  )
    return formatDuration(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
