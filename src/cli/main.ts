#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isAdwError } from '../errors.js';
import type { AdwErrorCode } from '../errors.js';
import { version } from './version.js';

/** Exit codes of every command (SPEC §5). */
export const EXIT = { ok: 0, operational: 1, usage: 2, taskFailed: 3 } as const;

// Errors in what the user wrote (flags, config, workflow files): exit 2. Everything else: 1.
const USAGE_CODES = new Set<AdwErrorCode>(['USAGE', 'CONFIG_INVALID', 'WORKFLOW_INVALID']);

type Register = (program: Command) => void | Promise<void>;

// The commands, in the order help lists them. Each lives in ./NAME.js, which exports `register`,
// and is loaded only when it runs: `check` never loads the daemon, git or pino, and `--version`
// loads no command at all.
const COMMANDS = [
  ...['start', 'status', 'check', 'plan', 'retry', 'cancel', 'clean'],
  ...['init', 'demo', 'config', 'health', 'logs', 'worker'],
] as const;

async function loadCommand(name: (typeof COMMANDS)[number]): Promise<Register> {
  return ((await import(`./${name}.js`)) as { register: Register }).register;
}

// The commands `argv` needs: the one it names, none for --version, every one otherwise (help, a
// mistyped name that deserves suggestions).
function commandsFor(argv: readonly string[]): (typeof COMMANDS)[number][] {
  const first = argv[0];
  if (first === '--version' || first === '-V') return [];
  const named = COMMANDS.find((name) => name === first);
  return named === undefined ? [...COMMANDS] : [named];
}

/** Builds the command-line program with the commands `argv` needs; each lives in its own file. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('adw-trigger')
    .description(
      'Watches a hand-edited tasks.md and runs each task with a coding agent in its own git worktree.',
    )
    .version(version(), '-V, --version')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const registers = await Promise.all(commandsFor(argv).map(loadCommand));
  // One after another: help lists the commands in this order.
  for (const register of registers) await register(program);
  program.commands.forEach((command) =>
    command.exitOverride().showHelpAfterError('(run with --help for usage)'),
  );
  return program;
}

/** Runs the program and turns every way it can end into a message and an exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      if (error.code === 'commander.unknownCommand') {
        // Commander only suggests a close name; a name far from every command gets the whole list.
        process.stderr.write(
          `commands: ${program.commands.map((command) => command.name()).join(', ')}\n`,
        );
      }
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isAdwError(error)) {
      process.stderr.write(`adw-trigger: ${error.message}\n`);
      return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.operational;
    }
    process.stderr.write(
      `adw-trigger: internal error (a bug, please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.operational;
  }
}

// `adw-trigger config | head`: the reader went away; that ends the output, it is not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
