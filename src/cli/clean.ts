import { join } from 'node:path';
import type { Command } from 'commander';
import { judgeBranches, judgeWorktrees } from '../cleanup/clean-plan.js';
import type { WorktreeVerdict } from '../cleanup/clean-plan.js';
import { listRunRecords } from '../runs/index.js';
import { deleteBranch } from '../git/delete-branch.js';
import { runLoggedHook } from '../hooks/task-hooks.js';
import { readTasksFile } from '../store/index.js';
import { parseTasks } from '../tasks/index.js';
import { openContext } from './context.js';
import type { CommandContext, RepoOptions } from './context.js';
import { taskFileCommand } from './options.js';

interface CleanOptions extends RepoOptions {
  dryRun?: boolean;
  branches?: boolean;
}

// beforeRemove runs in the worktree about to go; its failure is reported, the removal goes on.
async function beforeRemove(ctx: CommandContext, tree: WorktreeVerdict): Promise<void> {
  const runDir = join(ctx.root, '.adw', 'runs', tree.id);
  const task = {
    id: tree.id,
    section: tree.record?.section ?? tree.task?.section ?? '',
    branch: tree.branch ?? '',
    worktree: tree.path,
  };
  const failure = await runLoggedHook(
    { repo: ctx.repo, config: ctx.loaded.config, task, runDir },
    'beforeRemove',
  );
  if (failure !== null) process.stdout.write(`${tree.shown}: ${failure}\n`);
}

/**
 * `adw-trigger clean`: removes the worktrees of done, released and retried tasks (running
 * beforeRemove), and with `--branches` the task branches already merged into their section;
 * never a dirty worktree, work no branch keeps, or an unmerged branch.
 */
export function register(program: Command): void {
  taskFileCommand(
    program,
    'clean',
    'remove the worktrees of done, released and retried tasks (their branches stay); dirty ones and ones with unkept commits are kept',
  )
    .option('--branches', 'also delete task branches already merged into their section branch')
    .option('--dry-run', 'say what would be removed, remove nothing')
    .action(async (options: CleanOptions) => {
      const ctx = await openContext(options);
      const dry = options.dryRun === true;
      const input = {
        repo: ctx.repo,
        config: ctx.loaded.config,
        file: parseTasks((await readTasksFile(ctx.tasksPath)).text, ctx.parseOptions),
        records: new Map(
          (await listRunRecords(join(ctx.root, '.adw'))).map((record) => [record.id, record]),
        ),
      };
      const trees = await judgeWorktrees(input);
      let removed = 0;
      for (const tree of trees) {
        if (tree.keep !== null) {
          process.stdout.write(`kept ${tree.shown}: ${tree.keep}\n`);
          continue;
        }
        if (!dry) {
          await beforeRemove(ctx, tree);
          await ctx.repo.removeWorktree(tree.path);
        }
        removed++;
        const line = tree.task === undefined ? 'no longer in the file' : `line ${tree.task.line}`;
        process.stdout.write(
          `${dry ? 'would remove' : 'removed'} ${tree.shown} (${line}; branch ${tree.branch ?? 'detached'} stays)\n`,
        );
      }
      if (!dry && removed > 0) await ctx.repo.prune();
      if (trees.length === 0)
        process.stdout.write(`no worktrees in ${ctx.loaded.config.worktreeDir}/\n`);
      if (options.branches !== true) return;
      for (const branch of await judgeBranches(input, trees)) {
        if (branch.keep !== null) {
          process.stdout.write(`kept branch ${branch.branch}: ${branch.keep}\n`);
          continue;
        }
        if (!dry) await deleteBranch(ctx.repo, branch.branch, branch.tip);
        process.stdout.write(
          `${dry ? 'would delete' : 'deleted'} branch ${branch.branch} (merged into ${branch.section})\n`,
        );
      }
    });
}
