import type { Command } from 'commander';
import { builtSchemaFacts } from '../config/built-schema.js';
import { configKeys, envName, flagName } from '../config/index.js';
import type { ConfigKey } from '../config/index.js';
import { LOG_LEVELS } from './log-levels.js';

/** Adds `--repo <dir>` (default `.`); `what` says what the command reads or writes there. */
export function addRepoOption(command: Command, what = 'the git repository'): Command {
  return command.option('--repo <dir>', what, '.');
}

/** Adds `--repo` and `--tasks`, which every command that reads the task file takes. */
export function addRepoOptions(command: Command): Command {
  return addRepoOption(command).option(
    '--tasks <file>',
    'the task file (default: tasks.md in the repository, or the `tasks` config key)',
  );
}

/** A command that reads the repository only: `--repo <dir>`, whose help says what is read there. */
export function repoCommand(
  program: Command,
  name: string,
  description: string,
  what: string,
): Command {
  return addRepoOption(program.command(name).description(description), what);
}

/** A command that reads the task file: `--repo` and `--tasks`. */
export function taskFileCommand(program: Command, name: string, description: string): Command {
  return addRepoOptions(program.command(name).description(description));
}

/** Adds one flag per configuration key (`--step-timeout <value>`…), each naming its env variable. */
export async function addConfigOptions(command: Command): Promise<Command> {
  const { descriptions } = await builtSchemaFacts();
  for (const key of configKeys) {
    if (key === 'tasks') continue;
    command.option(`${flagName(key)} <value>`, `${descriptions[key]} (env ${envName(key)})`);
  }
  return command;
}

/** Adds `--log-level`. */
export function addLogOption(command: Command): Command {
  return command.option('--log-level <level>', `one of ${LOG_LEVELS.join(', ')}`, 'info');
}

/** The configuration flags a user gave, keyed by configuration key. */
export function configFlags(options: Record<string, unknown>): Partial<Record<ConfigKey, unknown>> {
  const flags: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of configKeys) {
    if (key !== 'tasks' && options[key] !== undefined) flags[key] = options[key];
  }
  return flags;
}
