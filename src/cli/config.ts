import { resolve } from 'node:path';
import type { Command } from 'commander';
import { agentSpecOf } from '../agents/index.js';
import { describeConfig } from '../config/describe.js';
import { loadConfig } from '../config/index.js';
import type { Config } from '../config/index.js';
import { isAdwError } from '../errors.js';
import { openRepo } from '../git/index.js';
import { addConfigOptions, addRepoOption, configFlags } from './options.js';
import { preflightChecks, type PreflightCheck } from './preflight.js';

/** What `start` would say about the repository: a refused worktreeDir, and each preflight check. */
interface StartView {
  refusal: string | null;
  preflight: PreflightCheck[];
}

// Outside a repository there is nothing to refuse, and the one check says so.
async function startView(dir: string, config: Config): Promise<StartView> {
  try {
    const repo = await openRepo(dir);
    const problem = await repo.worktreeDirProblem(config.worktreeDir);
    return {
      refusal: problem === null ? null : `worktreeDir \`${config.worktreeDir}\`: ${problem}`,
      preflight: await preflightChecks(repo, config, agentSpecOf(config, repo.root)),
    };
  } catch (error) {
    if (!isAdwError(error, 'NOT_A_REPO')) throw error;
    const check: PreflightCheck = {
      name: 'repository',
      ok: false,
      detail: error.message,
      fix: 'run it in a git repository, or pass --repo DIR',
    };
    return { refusal: null, preflight: [check] };
  }
}

// One line per check; a problem gets its fix on the line below.
function preflightText(checks: readonly PreflightCheck[]): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const lines = checks.flatMap((check) => {
    const line = `  ${check.ok ? 'ok     ' : 'problem'}  ${check.name.padEnd(width)}  ${check.detail}`;
    return check.fix === null ? [line] : [line, `  ${' '.repeat(9 + width)}  fix: ${check.fix}`];
  });
  return `\npreflight (checked by start before it claims anything):\n${lines.join('\n')}\n`;
}

/** `adw-trigger config`: every resolved value and where it came from. */
export async function register(program: Command): Promise<void> {
  const command = program
    .command('config')
    .description(
      'print the resolved configuration and where each value came from (flag, env, file, default)',
    )
    .option('--tasks <file>', 'the task file')
    .option('--json', 'print JSON');
  addRepoOption(command, 'the repository whose adw-trigger.json is read');
  await addConfigOptions(command);
  command.action(
    async (options: Record<string, unknown> & { repo: string; tasks?: string; json?: boolean }) => {
      const flags = configFlags(options);
      if (options.tasks !== undefined) flags.tasks = options.tasks;
      const loaded = await loadConfig({ repoDir: resolve(options.repo), flags, env: process.env });
      const rows = await describeConfig(loaded);
      const { refusal, preflight } = await startView(resolve(options.repo), loaded.config);
      if (options.json === true) {
        const refused = refusal === null ? {} : { refused: refusal };
        const { file, config, sources } = loaded;
        process.stdout.write(
          JSON.stringify({ file, config, sources, ...refused, preflight }, null, 2) + '\n',
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
      process.stdout.write(preflightText(preflight));
    },
  );
}
