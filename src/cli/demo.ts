import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { createDaemon } from '../daemon/index.js';
import { branchGraph, createRepository } from '../git/index.js';
import { runWorkflow } from '../workflows/index.js';
import { openContext } from './context.js';
import { createLogger } from './logger.js';

const DEMO = new URL('../../demo/', import.meta.url);

/** `adw-trigger demo`: the whole flow in a temporary repository with a scripted agent. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole flow in a temporary repository with a built-in scripted agent (no agent needed)',
    )
    .option('--json-logs', 'log JSON lines instead of pretty lines')
    .action(async (options: { jsonLogs?: boolean }) => {
      const dir = await mkdtemp(join(tmpdir(), 'adw-trigger-demo-'));
      const agent = fileURLToPath(new URL('agent.mjs', DEMO));
      const config = {
        agent: 'command',
        command: [process.execPath, agent],
        concurrency: 3,
        stepTimeout: '1m',
      };
      await createRepository(dir, {
        'README.md': '# adw-trigger demo\n\nA repository made by `adw-trigger demo`.\n',
        'tasks.md': await readFile(new URL('tasks.md', DEMO), 'utf8'),
        'adw-trigger.json': JSON.stringify(config, null, 2) + '\n',
        '.adw/workflows/build.md': await readFile(new URL('workflow.md', DEMO), 'utf8'),
      });
      process.stdout.write(
        `Demo repository: ${dir}\nRunning every task with the scripted demo agent (adw-trigger start --once)...\n\n`,
      );
      const ctx = await openContext({ repo: dir });
      const daemon = createDaemon({
        config: ctx.loaded.config,
        repo: ctx.repo,
        tasksPath: ctx.tasksPath,
        log: createLogger('info', options.jsonLogs === true),
        workflows: ctx.workflows,
        runWorkflow,
      });
      const summary = await daemon.runOnce();
      const tasks = await readFile(ctx.tasksPath, 'utf8');
      process.stdout.write(
        `\n--- tasks.md after the run ---\n${tasks}\n--- branches ---\n${await branchGraph(dir)}\n`,
      );
      // As the user started us: `adw-trigger` when installed, else the script (npm run demo).
      const self =
        basename(process.argv[1] ?? '') === 'adw-trigger'
          ? 'adw-trigger'
          : `node ${process.argv[1] ?? ''}`;
      process.stdout.write(
        [
          `${summary.done} tasks done, ${summary.failed} failed (the deploy task fails on purpose: the demo agent refuses it).`,
          `The repository is left at ${dir}. Look around:`,
          `  ${self} status --repo ${dir}`,
          `  git -C ${dir} worktree list`,
          `  ${self} retry ID --repo ${dir}    (puts the failed task back, for the next run)`,
          '',
        ].join('\n'),
      );
    });
}
