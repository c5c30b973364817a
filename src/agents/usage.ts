import type { AgentUsage } from './types.js';

/** The sum of two token counts; `sum` null counts as nothing yet. */
export function addUsage(sum: AgentUsage | null, more: AgentUsage): AgentUsage {
  if (sum === null) return { ...more };
  return {
    inputTokens: sum.inputTokens + more.inputTokens,
    outputTokens: sum.outputTokens + more.outputTokens,
    cacheReadTokens: sum.cacheReadTokens + more.cacheReadTokens,
    cacheCreationTokens: sum.cacheCreationTokens + more.cacheCreationTokens,
  };
}
