import { formatDuration } from '../config/duration.js';
import type { Config } from '../config/schema.js';

/** The lines `plan` prints about what runs around each task: hooks, included files, links. */
export function describeHooks(config: Config): string[] {
  const hooks = Object.entries(config.hooks).filter(([, script]) => script !== undefined);
  if (hooks.length === 0 && config.linkDirs.length === 0) return [];
  const lines = [`Hooks (sh -c in each worktree, ${formatDuration(config.hooksTimeout)} each):`];
  for (const [name, script] of hooks) lines.push(`  ${name}: ${script ?? ''}`);
  if (config.linkDirs.length > 0)
    lines.push(`  linked from the main checkout: ${config.linkDirs.join(', ')}`);
  return lines;
}
