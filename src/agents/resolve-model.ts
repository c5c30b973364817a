import type { AgentSpec, ModelPrice } from './agent-spec.js';
import type { AgentUsage } from './types.js';

/** Claude's model aliases: what the `#opus`, `#sonnet` and `#haiku` tags name. */
const CLAUDE_ALIASES = new Set(['opus', 'sonnet', 'haiku']);

/**
 * The model that runs a step, or null for the agent's own default (SPEC §4): the task's model tag,
 * else the workflow's `model`, else the configured model; then mapped through the agent's
 * `models` table. A claude alias without a mapping is never passed to codex.
 */
export function resolveModel(
  task: { modelTag: string | null },
  workflow: { model: string | null } | null,
  agent: Pick<AgentSpec, 'kind' | 'defaultModel' | 'models'>,
): string | null {
  const name = task.modelTag ?? workflow?.model ?? agent.defaultModel;
  if (name === null) return null;
  const mapped = agent.models[name];
  if (mapped !== undefined) return mapped;
  if (agent.kind === 'codex' && CLAUDE_ALIASES.has(name)) return null;
  return name;
}

/** The cost in USD of `usage` from a price table (USD per million tokens); null when not priced. */
export function costOf(
  usage: AgentUsage | null,
  model: string | null,
  prices: Readonly<Record<string, ModelPrice>>,
): number | null {
  if (usage === null || model === null) return null;
  const price = prices[model];
  if (price === undefined) return null;
  const cached = Math.min(usage.cacheReadTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const usd =
    fresh * price.input +
    cached * (price.cachedInput ?? price.input) +
    usage.outputTokens * price.output;
  return usd / 1_000_000;
}
