import { resolve } from 'node:path';
import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../config/index.js';
import { isAdwError } from '../errors.js';
import { openRepo } from '../git/index.js';
import { addConfigOptions, addRepoOption, configFlags } from './options.js';

// Why `start` would refuse worktreeDir, or null (also null outside a repository).
async function worktreeDirRefusal(dir: string, worktreeDir: string): Promise<string | null> {
  try {
    const repo = await openRepo(dir);
    const problem = await repo.worktreeDirProblem(worktreeDir);
    return problem === null ? null : `worktreeDir \`${worktreeDir}\`: ${problem}`;
  } catch (error) {
    if (isAdwError(error, 'NOT_A_REPO')) return null;
    throw error;
  }
}

/** `adw-trigger config`: every resolved value and where it came from. */
export function registerConfig(program: Command): void {
  const command = program
    .command('config')
    .description(
      'print the resolved configuration and where each value came from (flag, env, file, default)',
    )
    .option('--tasks <file>', 'the task file')
    .option('--json', 'print JSON');
  addRepoOption(command, 'the repository whose adw-trigger.json is read');
  addConfigOptions(command);
  command.action(
    async (options: Record<string, unknown> & { repo: string; tasks?: string; json?: boolean }) => {
      const flags = configFlags(options);
      if (options.tasks !== undefined) flags.tasks = options.tasks;
      const loaded = await loadConfig({ repoDir: resolve(options.repo), flags, env: process.env });
      const rows = describeConfig(loaded);
      const refusal = await worktreeDirRefusal(resolve(options.repo), loaded.config.worktreeDir);
      if (options.json === true) {
        const refused = refusal === null ? {} : { refused: refusal };
        process.stdout.write(
          JSON.stringify(
            { file: loaded.file, config: loaded.config, sources: loaded.sources, ...refused },
            null,
            2,
          ) + '\n',
        );
        return;
      }
      process.stdout.write(
        `config file: ${loaded.file ?? '(none: adw-trigger.json not found)'}\n\n`,
      );
      const keyWidth = Math.max(...rows.map((row) => row.key.length));
      const valueWidth = Math.max(...rows.map((row) => row.value.length));
      for (const row of rows) {
        process.stdout.write(
          `${row.key.padEnd(keyWidth)}  ${row.value.padEnd(valueWidth)}  ${row.source.padEnd(7)}  ${row.description}\n`,
        );
      }
      if (refusal !== null) process.stdout.write(`\nrefused at start: ${refusal}\n`);
    },
  );
}
