import { builtSchemaFacts } from './built-schema.js';
import { formatConfigValue } from './format-value.js';
import { configKeys, type ConfigKey } from './keys.js';
import type { ConfigSource, LoadedConfig } from './load.js';

export { formatConfigValue } from './format-value.js';

/** One line of `adw-trigger config`: a key, its value as people write it, where it came from. */
export interface ConfigRow {
  key: ConfigKey;
  value: string;
  source: ConfigSource;
  description: string;
}

/** The rows of `adw-trigger config`, one per key in schema order, described as the build wrote. */
export async function describeConfig(loaded: LoadedConfig): Promise<ConfigRow[]> {
  const { descriptions } = await builtSchemaFacts();
  return configKeys.map((key) => ({
    key,
    value: formatConfigValue(key, loaded.config[key]),
    source: loaded.sources[key],
    description: descriptions[key],
  }));
}
