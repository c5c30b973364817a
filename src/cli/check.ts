import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { readTasksFile } from '../store/read-tasks-file.js';
import { formatDiagnostic, parseTasks } from '../tasks/index.js';
import type { Diagnostic, Task } from '../tasks/index.js';
import { isAdwError } from '../errors.js';
import { loadWorkflows } from '../workflows/load-workflows.js';
import { parseOptionsOf } from './parse-options.js';
import { repoCommand } from './options.js';

/**
 * `unknown-commit` warnings for ✅ lines whose hash is no commit of the repository at `dir` (none
 * outside a repository or before its first commit): a forged or stale ✅ shows before anyone
 * trusts it.
 */
async function unknownCommitWarnings(dir: string, tasks: readonly Task[]): Promise<Diagnostic[]> {
  const done = tasks.filter((task) => task.status === 'done' && task.commit !== null);
  if (done.length === 0) return [];
  let repo;
  try {
    // Loaded here: most files have no ✅ line, and git is a large part of `check`'s start-up.
    const { openRepo } = await import('../git/index.js');
    repo = await openRepo(dir);
  } catch (error) {
    if (isAdwError(error, 'NOT_A_REPO')) return [];
    throw error;
  }
  // Before the first commit every hash is unknown: nothing to tell apart (a fresh `init`).
  if ((await repo.resolveRef('HEAD')) === null) return [];
  const unknown = await repo.unknownCommits(done.map((task) => task.commit ?? ''));
  return done
    .filter((task) => unknown.has(task.commit ?? ''))
    .map((task) => ({
      rule: 'unknown-commit',
      severity: 'warning',
      line: task.line,
      column: task.column,
      message: `✅ ${task.commit ?? ''} is not a commit in this repository`,
      actual: task.commit ?? '',
    }));
}

/** `adw-trigger check [FILE]`: diagnostics of a task file; exit 1 on any error. */
export function register(program: Command): void {
  repoCommand(
    program,
    'check',
    'print the diagnostics of a task file (exit 1 on any error); works outside a repository too',
    'where adw-trigger.json and .adw/workflows are read from',
  )
    .argument('[file]', 'the task file', 'tasks.md')
    .action(async (file: string, options: { repo: string }) => {
      const repoDir = resolve(options.repo);
      const loaded = await loadConfig({ repoDir, env: process.env });
      const workflows = await loadWorkflows(repoDir);
      const snapshot = await readTasksFile(resolve(file));
      const diagnostics = snapshot.encodingError !== null ? [snapshot.encodingError] : [];
      const parsed = parseTasks(snapshot.text, parseOptionsOf(loaded, workflows));
      diagnostics.push(
        ...parsed.diagnostics,
        ...(await unknownCommitWarnings(repoDir, parsed.tasks)),
      );
      diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
      for (const diagnostic of diagnostics)
        process.stdout.write(formatDiagnostic(file, diagnostic) + '\n');
      process.exitCode = diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    });
}
