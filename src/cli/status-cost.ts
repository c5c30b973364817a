import type { RunRecord } from '../runs/index.js';

/**
 * What the recorded runs cost: runs with a cost (reported by the agent, or priced from `prices`)
 * summed in USD; runs whose agent reports tokens but no cost (codex without a price) counted
 * apart, with their tokens, since adding them as $0 would understate the spend.
 */
export interface StatusCost {
  usd: number;
  pricedRuns: number;
  /** Runs with tokens and no cost. */
  tokensOnlyRuns: number;
  /** Input and output tokens of those runs. */
  tokensOnly: number;
  /** The models of those runs (a price for each in `prices` gives them a cost). */
  unpricedModels: string[];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

// Input plus output tokens of a recorded usage; null when the record holds none.
function tokensOf(usage: unknown): number | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const { inputTokens, outputTokens } = usage as Record<string, unknown>;
  const tokens = count(inputTokens) + count(outputTokens);
  return tokens > 0 ? tokens : null;
}

/** The cost summary of every run record. */
export function statusCost(records: Iterable<RunRecord>): StatusCost {
  const cost: StatusCost = {
    usd: 0,
    pricedRuns: 0,
    tokensOnlyRuns: 0,
    tokensOnly: 0,
    unpricedModels: [],
  };
  const models = new Set<string>();
  for (const record of records) {
    if (typeof record.costUsd === 'number') {
      cost.usd += record.costUsd;
      cost.pricedRuns++;
      continue;
    }
    const tokens = tokensOf(record.usage);
    if (tokens === null) continue;
    cost.tokensOnlyRuns++;
    cost.tokensOnly += tokens;
    models.add(record.model ?? "the agent's default model");
  }
  cost.unpricedModels = [...models].sort();
  return cost;
}

/** The `Cost` line of `status`, or null when no run reported a cost or tokens. */
export function costLine(cost: StatusCost): string | null {
  const parts: string[] = [];
  if (cost.pricedRuns > 0) {
    parts.push(`$${cost.usd.toFixed(2)} over ${plural(cost.pricedRuns, 'run')}`);
  }
  if (cost.tokensOnlyRuns > 0) {
    parts.push(
      `${plural(cost.tokensOnlyRuns, 'run')} tokens only, no price: ` +
        `${cost.tokensOnly.toLocaleString('en-US')} tokens (${cost.unpricedModels.join(', ')}; ` +
        'a price per model in `prices` gives them a cost)',
    );
  }
  return parts.length === 0 ? null : `Cost: ${parts.join('; ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
