import { join } from 'node:path';
import { AdwError } from '../errors.js';
import { defaultConfig } from './built-schema.js';
import { configChecker, type ConfigChecker } from './config-checker.js';
import { expectedValue, type ValueForm } from './expected-value.js';
import { configKeys, envName, flagName, isConfigKey, type ConfigKey } from './keys.js';
import { readConfigFile } from './read-file.js';
import type { Config } from './schema.js';
import { closestConfigKey } from './suggest.js';

// The helpers that callers of loadConfig need, so that one import serves the CLI.
export { configKeys, envName, flagName, type ConfigKey } from './keys.js';

/** Where the value of a key came from, highest precedence last. */
export type ConfigSource = 'default' | 'file' | 'env' | 'flag';

/** The resolved configuration, where each key came from, and the config file if there is one. */
export interface LoadedConfig {
  config: Config;
  sources: Record<ConfigKey, ConfigSource>;
  /** Path of adw-trigger.json when the repository has one, else null. */
  file: string | null;
}

/** What loadConfig reads: the repository (for its config file), flags and environment. */
export interface LoadConfigOptions {
  repoDir: string;
  /** Values from the command line; undefined entries and non-config keys are ignored. */
  flags?: Partial<Record<ConfigKey, unknown>>;
  /** Defaults to process.env. Only the `ADW_*` variables of config keys are read. */
  env?: NodeJS.ProcessEnv;
  /** How values are checked; defaults to the build's value rules, or the schema without them. */
  checker?: () => Promise<ConfigChecker>;
}

/** The name of the config file in the repository root. */
export const configFileName = 'adw-trigger.json';

interface Layer {
  source: Exclude<ConfigSource, 'default'>;
  form: (value: unknown) => ValueForm;
  where: (key: ConfigKey) => string;
  values: [ConfigKey, unknown][];
}

function invalid(message: string): AdwError {
  return new AdwError('CONFIG_INVALID', message);
}

function fileLayer(data: Record<string, unknown>): Layer {
  const values: [ConfigKey, unknown][] = [];
  for (const [name, value] of Object.entries(data)) {
    if (!isConfigKey(name)) {
      const guess = closestConfigKey(name);
      const hint =
        guess === null ? `known keys: ${configKeys.join(', ')}` : `did you mean \`${guess}\`?`;
      throw invalid(`${configFileName}: Unknown key \`${name}\` (${hint})`);
    }
    values.push([name, value]);
  }
  return { source: 'file', form: () => 'json', where: () => configFileName, values };
}

// Only the variables of known keys are read: the daemon itself sets ADW_ID, ADW_SECTION, ADW_STEP,
// ADW_WORKTREE and ADW_BRANCH for agents, and other tools may share the prefix. An empty variable
// counts as unset, as `docker run -e ADW_MODEL=` or a blank line in an env file mean.
function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values: [ConfigKey, unknown][] = [];
  for (const key of configKeys) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') values.push([key, value]);
  }
  return { source: 'env', form: () => 'text', where: envName, values };
}

function flagLayer(flags: Partial<Record<ConfigKey, unknown>>): Layer {
  const values = configKeys.flatMap((key): [ConfigKey, unknown][] =>
    flags[key] === undefined ? [] : [[key, flags[key]]],
  );
  return {
    source: 'flag',
    form: (value) => (typeof value === 'string' ? 'text' : 'json'),
    where: flagName,
    values,
  };
}

/**
 * Resolves the configuration of a repository, per key: flag > env > file > default. Throws
 * AdwError CONFIG_INVALID with one line naming the place (file, variable or flag), the key, the
 * value found and what was expected.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const path = join(options.repoDir, configFileName);
  const data = await readConfigFile(path, configFileName);
  const layers = [
    ...(data === null ? [] : [fileLayer(data)]),
    envLayer(options.env ?? process.env),
    flagLayer(options.flags ?? {}),
  ];

  const sources = Object.fromEntries(configKeys.map((key) => [key, 'default'])) as Record<
    ConfigKey,
    ConfigSource
  >;
  const file = data === null ? null : path;
  // Nothing to check: the defaults, without loading the schema (zod is most of a command's start).
  if (layers.every((layer) => layer.values.length === 0))
    return { config: await defaultConfig(), sources, file };

  const [{ checkValue }, checker] = await Promise.all([
    import('./check-value.js'),
    (options.checker ?? configChecker)(),
  ]);
  const input: Partial<Record<ConfigKey, unknown>> = {};
  const where: Partial<Record<ConfigKey, string>> = {};
  for (const layer of layers) {
    for (const [key, raw] of layer.values) {
      const checked = checkValue(key, raw, layer.form(raw), checker);
      if (!checked.ok) throw invalid(`${layer.where(key)}: ${checked.message}`);
      input[key] = checked.value;
      sources[key] = layer.source;
      where[key] = layer.where(key);
    }
  }

  if (input.agent === 'command' && input.command === undefined) {
    const places = `${configFileName}, ${envName('command')} or ${flagName('command')}`;
    throw invalid(
      `${where.agent ?? 'agent'}: \`agent\` is "command" but \`command\` is not set: expected ` +
        `${expectedValue('command')} in ${places}`,
    );
  }

  return { config: checker.resolve(input), sources, file };
}
