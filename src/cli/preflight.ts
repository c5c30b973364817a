import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { AgentSpec } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import { AdwError } from '../errors.js';
import type { GitRepo } from '../git/index.js';

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * The full path of an executable: an absolute path as it is, a bare name looked up in PATH; null
 * when there is no executable file there.
 */
export async function whichExecutable(
  name: string,
  path = process.env.PATH ?? '',
): Promise<string | null> {
  if (isAbsolute(name)) return (await isExecutableFile(name)) ? name : null;
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function environment(message: string): AdwError {
  return new AdwError('PREFLIGHT', message);
}

/** Why the agent cannot be started, or null when its executable resolves. */
export async function agentProblem(agent: AgentSpec): Promise<string | null> {
  if ((await whichExecutable(agent.executable)) !== null) return null;
  const where = isAbsolute(agent.executable)
    ? agent.executable
    : `${agent.executable} (not in PATH: ${process.env.PATH ?? ''})`;
  return `agent executable not found: ${where}`;
}

/**
 * What `start` checks before it claims anything (exit 1, one line): the agent executable
 * resolves, the repository has a commit, `baseRef` names one, and `worktreeDir` is a folder or
 * absent. Configuration values themselves were checked when loaded (exit 2).
 */
export async function preflight(repo: GitRepo, config: Config, agent: AgentSpec): Promise<void> {
  if ((await repo.resolveRef('HEAD')) === null) {
    throw environment(
      `the repository ${repo.root} has no commit yet: commit something first (git commit --allow-empty -m init)`,
    );
  }
  if ((await repo.resolveRef(config.baseRef)) === null) {
    throw environment(`baseRef \`${config.baseRef}\` names no commit in ${repo.root}`);
  }
  const trees = join(repo.root, config.worktreeDir);
  const info = await stat(trees).catch(() => null);
  if (info !== null && !info.isDirectory()) {
    throw environment(`worktreeDir ${trees} exists and is not a folder`);
  }
  const problem = await agentProblem(agent);
  if (problem !== null) throw environment(problem);
}
