import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { agentSpecOf } from '../agents/agent-spec.js';
import { resolveModel } from '../agents/resolve-model.js';
import { loadConfig } from '../config/index.js';
import type { ConfigKey, LoadConfigOptions, LoadedConfig } from '../config/index.js';
import { openRepo } from '../git/index.js';
import type { GitRepo } from '../git/index.js';
import type { ParseOptions, Task } from '../tasks/index.js';
import { loadWorkflows } from '../workflows/index.js';
import { parseOptionsOf } from './parse-options.js';
import type { Workflow } from '../workflows/index.js';

/** Options every command that works on a repository accepts. */
export interface RepoOptions {
  repo?: string;
  tasks?: string;
}

/** What a command needs to know about the repository it works on. */
export interface CommandContext {
  root: string;
  repo: GitRepo;
  loaded: LoadedConfig;
  tasksPath: string;
  /** The tasks file as the user named it (for messages and `status --json`). */
  tasksName: string;
  workflows: Workflow[];
  parseOptions: ParseOptions;
  /** How the configuration was loaded: a live reload loads it again the same way. */
  loadOptions: LoadConfigOptions;
}

/** Opens the repository, loads config and workflows: the common start of every command. */
export async function openContext(
  options: RepoOptions,
  flags: Partial<Record<ConfigKey, unknown>> = {},
): Promise<CommandContext> {
  const repo = await openRepo(resolve(options.repo ?? '.'));
  // A --tasks path typed in a shell means a path from where it was typed, not from the repository.
  const loadOptions: LoadConfigOptions = {
    repoDir: repo.root,
    flags: options.tasks === undefined ? flags : { ...flags, tasks: resolve(options.tasks) },
    env: process.env,
  };
  const loaded = await loadConfig(loadOptions);
  const workflows = await loadWorkflows(repo.root);
  return {
    root: repo.root,
    repo,
    loaded,
    tasksPath: resolve(repo.root, loaded.config.tasks),
    tasksName: options.tasks ?? loaded.config.tasks,
    workflows,
    parseOptions: parseOptionsOf(loaded, workflows),
    loadOptions,
  };
}

/** The model a task runs with, as the daemon resolves it (null: the agent's own default). */
export function modelOfTask(
  ctx: CommandContext,
  task: Pick<Task, 'modelTag' | 'workflow'>,
): string | null {
  const workflow = ctx.workflows.find((candidate) => candidate.name === task.workflow) ?? null;
  return resolveModel(task, workflow, agentSpecOf(ctx.loaded.config, ctx.root));
}

/** Logger type re-exported for command files. */
export type { Logger };
