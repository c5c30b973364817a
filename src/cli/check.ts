import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { readTasksFile } from '../store/index.js';
import { formatDiagnostic, parseTasks } from '../tasks/index.js';
import { loadWorkflows } from '../workflows/index.js';
import { parseOptionsOf } from './context.js';

/** `adw-trigger check [FILE]`: diagnostics of a task file; exit 1 on any error. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      'print the diagnostics of a task file (exit 1 on any error); works outside a repository too',
    )
    .argument('[file]', 'the task file', 'tasks.md')
    .option('--repo <dir>', 'where adw-trigger.json and .adw/workflows are read from', '.')
    .action(async (file: string, options: { repo: string }) => {
      const repoDir = resolve(options.repo);
      const loaded = await loadConfig({ repoDir, env: process.env });
      const workflows = await loadWorkflows(repoDir);
      const snapshot = await readTasksFile(resolve(file));
      const diagnostics = snapshot.encodingError !== null ? [snapshot.encodingError] : [];
      diagnostics.push(...parseTasks(snapshot.text, parseOptionsOf(loaded, workflows)).diagnostics);
      for (const diagnostic of diagnostics)
        process.stdout.write(formatDiagnostic(file, diagnostic) + '\n');
      process.exitCode = diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
