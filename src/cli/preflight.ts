import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { AgentSpec } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import { AdwError } from '../errors.js';
import type { GitRepo } from '../git/index.js';
import { howSavesAreJudged } from '../store/index.js';
import { howGitIsStarted } from '../system/run-process.js';

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

/** One thing `start` checks before it claims anything: what was found, or the problem and its fix. */
export interface PreflightCheck {
  /** What is checked: `agent`, `repository`, `baseRef`, `worktreeDir`; `saves` and `git` are told, never a problem. */
  name: 'agent' | 'repository' | 'baseRef' | 'worktreeDir' | 'saves' | 'git';
  ok: boolean;
  /** What was found when ok; the problem, one line, when not. */
  detail: string;
  /** What to do about a problem; null when ok. */
  fix: string | null;
}

function passed(name: PreflightCheck['name'], detail: string): PreflightCheck {
  return { name, ok: true, detail, fix: null };
}

function problem(name: PreflightCheck['name'], detail: string, fix: string): PreflightCheck {
  return { name, ok: false, detail, fix };
}

/** Whether the agent executable resolves (named by its full path when it does). */
export async function agentCheck(agent: AgentSpec): Promise<PreflightCheck> {
  const found = await whichExecutable(agent.executable);
  if (found !== null) return passed('agent', `${agent.kind} agent: ${found}`);
  const where = isAbsolute(agent.executable)
    ? agent.executable
    : `${agent.executable} (not in PATH: ${process.env.PATH ?? ''})`;
  const key = agent.kind === 'command' ? 'command' : `${agent.kind}Bin`;
  return problem(
    'agent',
    `agent executable not found: ${where}`,
    `install the agent, or set \`${key}\` (or \`agent\`) in adw-trigger.json`,
  );
}

/** Whether `baseRef` names a commit (the repository's HEAD needs one first). */
export async function baseRefCheck(repo: GitRepo, config: Config): Promise<PreflightCheck> {
  const commit = await repo.resolveRef(config.baseRef);
  if (commit === null) {
    return problem(
      'baseRef',
      `baseRef \`${config.baseRef}\` names no commit in ${repo.root}`,
      'set `baseRef` to a branch, tag or commit of the repository',
    );
  }
  return passed('baseRef', `${config.baseRef} is ${commit.slice(0, 9)}`);
}

/**
 * Everything `start` checks before it claims anything, in order: the repository has a commit,
 * `baseRef` names one, `worktreeDir` is a folder or absent, the agent executable resolves; then
 * how a finished save of tasks.md is told from one under way (always ok: both ways are safe).
 * Configuration values themselves were checked when loaded (exit 2).
 */
export async function preflightChecks(
  repo: GitRepo,
  config: Config,
  agent: AgentSpec,
): Promise<PreflightCheck[]> {
  const checks: PreflightCheck[] = [];
  const head = await repo.resolveRef('HEAD');
  if (head === null) {
    checks.push(
      problem(
        'repository',
        `the repository ${repo.root} has no commit yet`,
        'commit something first (git commit --allow-empty -m init)',
      ),
    );
  } else {
    checks.push(passed('repository', `${repo.root} at ${head.slice(0, 9)}`));
    checks.push(await baseRefCheck(repo, config));
  }
  const trees = join(repo.root, config.worktreeDir);
  const info = await stat(trees).catch(() => null);
  checks.push(
    info !== null && !info.isDirectory()
      ? problem(
          'worktreeDir',
          `worktreeDir ${trees} exists and is not a folder`,
          'move that file away, or set `worktreeDir` to another folder',
        )
      : passed('worktreeDir', info === null ? `${trees} (created at the first task)` : trees),
  );
  checks.push(await agentCheck(agent));
  checks.push(passed('saves', await howSavesAreJudged(resolve(repo.root, config.tasks))));
  checks.push(passed('git', `commands started ${howGitIsStarted()}`));
  return checks;
}

/** Throws the first problem of `preflightChecks` as PREFLIGHT (exit 1, one line). */
export async function preflight(repo: GitRepo, config: Config, agent: AgentSpec): Promise<void> {
  const failed = (await preflightChecks(repo, config, agent)).find((check) => !check.ok);
  if (failed === undefined) return;
  // The repository message has always carried its fix: it is the whole advice.
  const message =
    failed.name === 'repository' ? `${failed.detail}: ${failed.fix ?? ''}` : failed.detail;
  throw new AdwError('PREFLIGHT', message);
}
