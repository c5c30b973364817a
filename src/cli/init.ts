import { access, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { openRepo } from '../git/index.js';
import { repoCommand } from './options.js';

const EXAMPLE = new URL('../../tasks.example.md', import.meta.url);

const CONFIG = {
  concurrency: 5,
  agent: 'claude',
  model: 'sonnet',
  stepTimeout: '30m',
};

/**
 * The tasks.md that `init` writes: the example inside a fenced block, where no line is a task,
 * so that `start` right after `init` runs nothing (and spends nothing) by accident.
 */
export function starterTasks(example: string): string {
  return [
    '# Tasks',
    '',
    'Write one task per line, starting with `[]`; `adw-trigger start` runs every runnable task.',
    'The example below is inside a code block, so none of it runs: copy a line out of the block',
    'to make it a task.',
    '',
    '~~~~md',
    example.trimEnd(),
    '~~~~',
    '',
  ].join('\n');
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `adw-trigger init`: tasks.md and adw-trigger.json, never over an existing file. */
export function register(program: Command): void {
  repoCommand(
    program,
    'init',
    'write tasks.md (from the example) and adw-trigger.json; existing files are never overwritten',
    'where to write them (the root of the repository it is in)',
  ).action(async (options: { repo: string }) => {
    // From a subfolder of a repository, the files go to its root, where the daemon reads them.
    const root = await openRepo(resolve(options.repo)).then(
      (repo) => repo.root,
      () => null,
    );
    const dir = root ?? resolve(options.repo);
    const tasks = join(dir, 'tasks.md');
    const config = join(dir, 'adw-trigger.json');
    if (await exists(tasks)) process.stdout.write(`kept ${tasks}: it exists already\n`);
    else {
      await writeFile(tasks, starterTasks(await readFile(EXAMPLE, 'utf8')), { flag: 'wx' });
      process.stdout.write(`wrote ${tasks}\n`);
    }
    if (await exists(config)) process.stdout.write(`kept ${config}: it exists already\n`);
    else {
      await writeFile(config, JSON.stringify(CONFIG, null, 2) + '\n', { flag: 'wx' });
      process.stdout.write(`wrote ${config}\n`);
    }
    if (root === null) {
      process.stdout.write(
        'note: this folder is not a git repository yet; run `git init` and commit before `adw-trigger start`\n',
      );
    }
  });
}
