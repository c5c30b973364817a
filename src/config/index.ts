export { configSchema, type Config, type ConfigInput } from './schema.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  configKeys,
  configKind,
  describeKey,
  envName,
  flagName,
  isConfigKey,
  type ConfigKey,
  type ConfigKind,
} from './keys.js';
export { expectedValue } from './check-value.js';
export {
  configFileName,
  loadConfig,
  type ConfigSource,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load.js';
export { describeConfig, formatConfigValue, type ConfigRow } from './describe.js';
