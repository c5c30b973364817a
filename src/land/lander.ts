import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { listRunRecords } from '../runs/index.js';
import type { GitRepo } from '../git/index.js';
import { pushSection, remoteDefaultBranch } from '../git/push.js';
import { readTasksFile } from '../store/index.js';
import { parseTasks, type ParseOptions, type Task } from '../tasks/index.js';
import { failedChecks, prBody } from './pr-body.js';
import { openOrUpdatePullRequest } from './pull-request.js';
import { checksTail, runSectionChecks } from './section-checks.js';
import {
  readSectionState,
  sectionDir,
  writeSectionState,
  type SectionState,
} from './section-state.js';

/** What landing needs from the daemon. */
export interface LanderDeps {
  config: Config;
  repo: GitRepo;
  adwDir: string;
  tasksPath: string;
  parseOptions: ParseOptions;
  log: Logger;
}

const OPEN: ReadonlySet<string> = new Set(['pending', 'blocked', 'in_progress']);

/**
 * Lands section branches as configured (`land`, `sectionChecks`): after a task's merge, and once
 * a section has no pending, blocked or running task left. Work for one section runs in order
 * (one chain per section), sections in parallel; nothing here fails a task: problems are logged
 * and kept in the section's state for `status`.
 */
export class Lander {
  readonly #deps: LanderDeps;
  readonly #chains = new Map<string, Promise<void>>();

  constructor(deps: LanderDeps) {
    this.#deps = deps;
  }

  /** A task of `section` ended (merged: its work is on the section branch now). */
  taskEnded(section: string, merged: boolean): void {
    const { config } = this.#deps;
    if (config.land === 'none' && config.sectionChecks.length === 0) return;
    const previous = this.#chains.get(section) ?? Promise.resolve();
    const next = previous.then(() => this.#land(section, merged));
    const settled = next.catch((error: unknown) => {
      this.#deps.log.error({ section, err: error }, 'landing the section failed');
    });
    this.#chains.set(section, settled);
  }

  /** Resolves once all landing work started so far is over (before the daemon exits). */
  async idle(): Promise<void> {
    for (;;) {
      const before = [...this.#chains.values()];
      await Promise.all(before);
      const after = [...this.#chains.values()];
      if (after.length === before.length && after.every((chain, i) => chain === before[i])) return;
    }
  }

  async #land(section: string, merged: boolean): Promise<void> {
    const { config, repo, adwDir, log } = this.#deps;
    const state = await readSectionState(adwDir, section);
    const checked = config.sectionChecks.length > 0;
    // Without checks every merge is pushed at once; with checks only a section that passed them.
    if (merged && config.land !== 'none' && (!checked || config.land === 'pr')) {
      await this.#push(section, state);
    }
    const tasks = await this.#sectionTasks(section);
    if (tasks === null || tasks.length === 0 || tasks.some((task) => OPEN.has(task.status))) {
      await writeSectionState(adwDir, state);
      return;
    }
    const tip = await repo.resolveRef(section);
    if (tip === null) return;
    if (checked && state.checks?.tip !== tip) {
      log.info({ section, tip }, 'section finished: running its checks');
      state.checks = await runSectionChecks(repo, config, adwDir, section, tip);
      const level = state.checks.status === 'passed' ? 'info' : 'warn';
      log[level]({ section, log: state.checks.log }, `section checks ${state.checks.status}`);
    }
    const passed = !checked || state.checks?.status === 'passed';
    if (config.land !== 'none' && state.pushedTip !== tip && (passed || config.land === 'pr')) {
      await this.#push(section, state);
    }
    if (config.land === 'pr' && state.pushedTip === tip)
      await this.#pullRequest(section, tasks, state, passed);
    await writeSectionState(adwDir, state);
  }

  async #push(section: string, state: SectionState): Promise<void> {
    const { config, repo, log } = this.#deps;
    try {
      const result = await pushSection(repo, config.remote, section);
      if (result.kind === 'pushed') {
        state.pushedTip = result.tip;
        state.pushedAt = new Date().toISOString();
        state.landError = null;
        log.info(
          { section, remote: config.remote, tip: result.tip, merges: result.merges },
          'section pushed',
        );
        return;
      }
      state.landError =
        result.kind === 'conflict'
          ? `the remote ${section} conflicts with the local one in ${result.paths.join(', ')}; not pushed`
          : `the remote ${section} moved and the local branch is checked out in ${result.worktree}; not pushed`;
    } catch (error) {
      state.landError = error instanceof Error ? error.message : String(error);
    }
    log.error({ section, remote: config.remote }, state.landError);
  }

  async #pullRequest(
    section: string,
    tasks: Task[],
    state: SectionState,
    passed: boolean,
  ): Promise<void> {
    const { config, repo, adwDir, log } = this.#deps;
    try {
      const costs = new Map(
        (await listRunRecords(adwDir)).map((record) => [record.id, record.costUsd]),
      );
      const failed = passed ? null : failedChecks(state.checks, await checksTail(adwDir, section));
      const base = config.prBase ?? (await remoteDefaultBranch(repo.root, config.remote)) ?? 'main';
      state.pr = await openOrUpdatePullRequest({
        root: repo.root,
        dir: sectionDir(adwDir, section),
        head: section,
        base,
        title: section,
        body: prBody(section, tasks, costs, failed),
        draft: !passed,
      });
      state.landError = null;
      log.info({ section, url: state.pr.url, draft: state.pr.draft }, 'pull request up to date');
    } catch (error) {
      state.landError = error instanceof Error ? error.message : String(error);
      log.error({ section }, state.landError);
    }
  }

  async #sectionTasks(section: string): Promise<Task[] | null> {
    try {
      const { text } = await readTasksFile(this.#deps.tasksPath);
      return parseTasks(text, this.#deps.parseOptions).tasks.filter(
        (task) => task.section === section,
      );
    } catch {
      return null;
    }
  }
}
