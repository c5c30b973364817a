// The configuration as most of the program needs it. Nothing here loads zod: the schema itself
// (`schema.js`) and the key descriptions (`describe.js`) are imported where they are used.
export type { Config, ConfigInput } from './schema.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  configKeys,
  configKind,
  envName,
  flagName,
  isConfigKey,
  type ConfigKey,
  type ConfigKind,
} from './keys.js';
export { expectedValue } from './expected-value.js';
export {
  configFileName,
  loadConfig,
  type ConfigSource,
  type LoadConfigOptions,
  type LoadedConfig,
} from './load.js';
export { formatConfigValue } from './format-value.js';
export type { ConfigRow } from './describe.js';
