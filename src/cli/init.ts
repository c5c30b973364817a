import { access, copyFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';

const EXAMPLE = new URL('../../tasks.example.md', import.meta.url);

const CONFIG = {
  concurrency: 5,
  agent: 'claude',
  model: 'sonnet',
  stepTimeout: '30m',
};

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `adw-trigger init`: tasks.md and adw-trigger.json, never over an existing file. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'write tasks.md (from the example) and adw-trigger.json; existing files are never overwritten',
    )
    .option('--repo <dir>', 'where to write them', '.')
    .action(async (options: { repo: string }) => {
      const dir = resolve(options.repo);
      const tasks = join(dir, 'tasks.md');
      const config = join(dir, 'adw-trigger.json');
      if (await exists(tasks)) process.stdout.write(`kept ${tasks}: it exists already\n`);
      else {
        await copyFile(EXAMPLE, tasks);
        process.stdout.write(`wrote ${tasks}\n`);
      }
      if (await exists(config)) process.stdout.write(`kept ${config}: it exists already\n`);
      else {
        await writeFile(config, JSON.stringify(CONFIG, null, 2) + '\n', { flag: 'wx' });
        process.stdout.write(`wrote ${config}\n`);
      }
      if (!(await exists(join(dir, '.git')))) {
        process.stdout.write(
          'note: this folder is not a git repository yet; run `git init` and commit before `adw-trigger start`\n',
        );
      }
    });
}
