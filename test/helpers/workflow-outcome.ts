import type { WorkflowOutcome } from '../../src/workflows/index.js';

/** A workflow that succeeded and reported nothing else, for task runs in memory. */
export const OK_OUTCOME: WorkflowOutcome = {
  ok: true,
  error: null,
  costUsd: null,
  numTurns: null,
  usage: null,
  sessionId: null,
  steps: [],
};
