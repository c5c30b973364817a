import { formatConfigValue } from './format-value.js';
import { configKeys, type ConfigKey } from './keys.js';
import type { ConfigSource, LoadedConfig } from './load.js';
import { describeKey } from './schema.js';

export { formatConfigValue } from './format-value.js';
export { describeKey } from './schema.js';

/** One line of `adw-trigger config`: a key, its value as people write it, where it came from. */
export interface ConfigRow {
  key: ConfigKey;
  value: string;
  source: ConfigSource;
  description: string;
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
