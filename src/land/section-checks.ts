import { readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Config } from '../config/schema.js';
import type { GitRepo } from '../git/index.js';
import { addScratchWorktree, removeScratchWorktree } from '../git/scratch-worktree.js';
import { copyIncludedFiles } from '../git/worktree-include.js';
import { linkDirs } from '../hooks/link-dirs.js';
import { runShell } from '../hooks/run-shell.js';
import type { ChecksRecord } from './section-state.js';
import { sectionDir } from './section-state.js';

/** The log of a section's checks. */
export function checksLog(adwDir: string, section: string): string {
  return join(sectionDir(adwDir, section), 'checks.log');
}

/**
 * Runs `sectionChecks` in a fresh detached worktree of the section tip (with the included files
 * and linked directories a task worktree gets), with the hooks' rules: `sh -c`, hooksTimeout,
 * the whole group stopped on timeout, ADW_* variables. Stops at the first failing command.
 */
export async function runSectionChecks(
  repo: GitRepo,
  config: Config,
  adwDir: string,
  section: string,
  tip: string,
): Promise<ChecksRecord> {
  const dir = sectionDir(adwDir, section);
  const tree = join(dir, 'worktree');
  const log = checksLog(adwDir, section);
  await rm(log, { force: true });
  const done = (command: string | null, reason: string | null): ChecksRecord => ({
    status: command === null ? 'passed' : 'failed',
    tip,
    command,
    reason,
    log: relative(repo.root, log),
    finishedAt: new Date().toISOString(),
  });
  try {
    await addScratchWorktree(repo, tree, tip);
    await copyIncludedFiles(repo.root, tree);
    await linkDirs(repo.root, tree, config.linkDirs);
    for (const command of config.sectionChecks) {
      const outcome = await runShell({
        label: `check \`${command}\``,
        script: command,
        cwd: tree,
        env: { ADW_SECTION: section, ADW_BRANCH: section, ADW_WORKTREE: tree, ADW_REPO: repo.root },
        timeoutMs: config.hooksTimeout,
        logFile: log,
      });
      if (!outcome.ok) return done(command, outcome.reason);
    }
    return done(null, null);
  } catch (error) {
    return done(
      '(setting up the checks worktree)',
      error instanceof Error ? error.message : String(error),
    );
  } finally {
    await removeScratchWorktree(repo, tree).catch(() => undefined);
  }
}

/** The last part of the checks log, for a draft PR's body. */
export async function checksTail(adwDir: string, section: string): Promise<string> {
  const text = await readFile(checksLog(adwDir, section), 'utf8').catch(() => '');
  return text.slice(-4000);
}
