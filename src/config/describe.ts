import { formatDuration } from './duration.js';
import { withoutPassword } from './redis-url.js';
import { configKeys, configKind, describeKey, type ConfigKey } from './keys.js';
import type { ConfigSource, LoadedConfig } from './load.js';

/** One line of `adw-trigger config`: a key, its value as people write it, where it came from. */
export interface ConfigRow {
  key: ConfigKey;
  value: string;
  source: ConfigSource;
  description: string;
}

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

/** The rows of `adw-trigger config`, one per key in schema order. */
export function describeConfig(loaded: LoadedConfig): ConfigRow[] {
  return configKeys.map((key) => ({
    key,
    value: formatConfigValue(key, loaded.config[key]),
    source: loaded.sources[key],
    description: describeKey(key),
  }));
}
