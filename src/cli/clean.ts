import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { readTasksFile } from '../store/index.js';
import { findTaskById, parseTasks } from '../tasks/index.js';
import { openContext } from './context.js';
import type { RepoOptions } from './context.js';
import { addRepoOptions } from './options.js';

/** `adw-trigger clean`: removes worktrees of done tasks; never one whose work no branch keeps. */
export function registerClean(program: Command): void {
  const command = program
    .command('clean')
    .description(
      'remove the worktrees of done tasks (their branches stay); dirty ones and ones with unkept commits are kept',
    )
    .option('--dry-run', 'say what would be removed, remove nothing');
  addRepoOptions(command);
  command.action(async (options: RepoOptions & { dryRun?: boolean }) => {
    const ctx = await openContext(options);
    const file = parseTasks((await readTasksFile(ctx.tasksPath)).text, ctx.parseOptions);
    const treesDir = resolve(ctx.root, ctx.loaded.config.worktreeDir);
    const trees = (await ctx.repo.listWorktrees()).filter(
      (tree) => dirname(resolve(tree.path)) === treesDir,
    );
    let removed = 0;
    for (const tree of trees) {
      const id = basename(tree.path);
      const shown = join(ctx.loaded.config.worktreeDir, id);
      const task = findTaskById(file, id);
      let keep: string | null = null;
      if (task === undefined) keep = 'no task in the file has this ID';
      else if (task.status !== 'done')
        keep = `task on line ${task.line} is ${task.status.replace('_', ' ')}`;
      else if (await ctx.repo.isDirty(tree.path)) keep = 'it has uncommitted changes';
      else if (!(await ctx.repo.branchContains(tree.head)))
        keep = `its commit ${tree.head.slice(0, 9)} is on no branch`;
      if (keep !== null) {
        process.stdout.write(`kept ${shown}: ${keep}\n`);
        continue;
      }
      if (options.dryRun !== true) await ctx.repo.removeWorktree(tree.path);
      removed++;
      process.stdout.write(
        `${options.dryRun === true ? 'would remove' : 'removed'} ${shown} (line ${task?.line ?? '?'}; branch ${tree.branch ?? 'detached'} stays)\n`,
      );
    }
    if (options.dryRun !== true && removed > 0) await ctx.repo.prune();
    if (trees.length === 0)
      process.stdout.write(`no worktrees in ${ctx.loaded.config.worktreeDir}/\n`);
  });
}
