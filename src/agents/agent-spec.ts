import { isAbsolute, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { AdwError } from '../errors.js';

/** Which kind of agent runs, and so how its argv is built and its output read. */
export type AgentKind = 'claude' | 'codex' | 'command';

/** USD per million tokens, for agents that report tokens but no cost (codex). */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number | undefined;
}

/** The agent as every step runs it: built once from the configuration, never the whole Config. */
export interface AgentSpec {
  kind: AgentKind;
  /** argv[0]: a name looked up in PATH, or an absolute path. */
  executable: string;
  /** Arguments after the executable: `command[1..]`, or `agentArgs` for claude and codex. */
  args: string[];
  /** The model when neither the task nor the workflow names one; null: the agent's own default. */
  defaultModel: string | null;
  /** Model tag → the name this agent knows (`opus` → `claude-opus-4-1`, `sonnet` → `gpt-5`). */
  models: Readonly<Record<string, string>>;
  prices: Readonly<Record<string, ModelPrice>>;
}

/** The limits every step runs under. */
export interface StepLimits {
  stepTimeoutMs: number;
  idleTimeoutMs: number;
  /** Re-runs of a failed agent step. */
  retries: number;
  /** Wait before the first re-run after a transient error; doubles up to `maxRetryBackoffMs`. */
  retryBackoffMs: number;
  maxRetryBackoffMs: number;
  /** USD one task may cost over all its steps and attempts; null: no limit. */
  maxCostUsd: number | null;
}

/** The model claude gets when nothing names one (its aliases are what tags name). */
export const CLAUDE_DEFAULT_MODEL = 'sonnet';

// A path with a slash is relative to the repository; a bare name is looked up in PATH.
function executableOf(name: string, root: string): string {
  return isAbsolute(name) || !name.includes('/') ? name : resolve(root, name);
}

/** The agent spec of a configuration; `root` is the repository a relative command resolves in. */
export function agentSpecOf(config: Config, root: string): AgentSpec {
  const common = { models: config.models[config.agent] ?? {}, prices: config.prices };
  if (config.agent === 'command') {
    const [first, ...rest] = config.command ?? [];
    if (first === undefined) {
      throw new AdwError(
        'CONFIG_INVALID',
        'Expected `command` to be set when `agent` is `command`',
      );
    }
    const executable = executableOf(first, root);
    return {
      kind: 'command',
      executable,
      args: rest,
      defaultModel: config.model ?? null,
      ...common,
    };
  }
  const claude = config.agent === 'claude';
  return {
    kind: config.agent,
    executable: executableOf(claude ? config.claudeBin : config.codexBin, root),
    args: config.agentArgs,
    defaultModel: config.model ?? (claude ? CLAUDE_DEFAULT_MODEL : null),
    ...common,
  };
}

/** The step limits of a configuration. */
export function stepLimitsOf(config: Config): StepLimits {
  return {
    stepTimeoutMs: config.stepTimeout,
    idleTimeoutMs: config.idleTimeout,
    retries: config.retries,
    retryBackoffMs: config.retryBackoff,
    maxRetryBackoffMs: config.maxRetryBackoff,
    maxCostUsd: config.maxCostPerTask ?? null,
  };
}
