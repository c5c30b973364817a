import { join, resolve } from 'node:path';
import { configFileName, configKeys } from '../config/index.js';
import type { ConfigKey, ConfigSource } from '../config/index.js';
import { isAdwError } from '../errors.js';
import { openRepo } from '../git/index.js';
import { listDaemonRecords, liveness, observerHere } from '../runs/index.js';
import { parseOptionsOf } from './parse-options.js';
import type { CommandContext, RepoOptions } from './context.js';

/**
 * The context of a command whose configuration files do not load (a broken edit of
 * adw-trigger.json or of a workflow file) while a live daemon of the repository runs on its last
 * good configuration: that configuration, as the daemon recorded it. Any other error, or no such
 * daemon, is thrown as it came.
 */
export async function contextInForce(
  options: RepoOptions,
  error: unknown,
): Promise<CommandContext> {
  if (!isAdwError(error, 'CONFIG_INVALID') && !isAdwError(error, 'WORKFLOW_INVALID')) throw error;
  const repo = await openRepo(resolve(options.repo ?? '.'));
  const tasksPath = options.tasks === undefined ? null : resolve(options.tasks);
  const observer = observerHere(Date.now());
  const record = (await listDaemonRecords(join(repo.root, '.adw'))).find(
    (candidate) =>
      candidate.inForce !== undefined &&
      (tasksPath === null || candidate.tasksFile === tasksPath) &&
      liveness(candidate, observer) === 'live',
  );
  if (record?.inForce === undefined) throw error;
  // Checked again: the record is a file, and whatever reads it next trusts these values. The
  // schema is loaded here, on this error path only.
  const { configSchema } = await import('../config/schema.js');
  const parsed = configSchema.safeParse(record.inForce.config);
  if (!parsed.success) throw error;
  const sources = Object.fromEntries(configKeys.map((key) => [key, 'file'])) as Record<
    ConfigKey,
    ConfigSource
  >;
  const loaded = { config: parsed.data, sources, file: join(repo.root, configFileName) };
  const { workflows } = record.inForce;
  return {
    root: repo.root,
    repo,
    loaded,
    tasksPath: record.tasksFile,
    tasksName: options.tasks ?? parsed.data.tasks,
    workflows,
    parseOptions: parseOptionsOf(loaded, workflows),
    loadOptions: { repoDir: repo.root, env: process.env },
  };
}
