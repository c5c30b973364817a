export { agentInvocation, MAX_PROMPT_ARGUMENT } from './agent-argv.js';
export type { AgentInvocation } from './agent-argv.js';
export { agentSpecOf, CLAUDE_DEFAULT_MODEL, stepLimitsOf } from './agent-spec.js';
export type { AgentKind, AgentSpec, ModelPrice, StepLimits } from './agent-spec.js';
export {
  hasFailedMarker,
  isRootRefusal,
  readClaudeStream,
  ROOT_REFUSAL_REASON,
  ROOT_REFUSAL_TEXT,
} from './claude-stream.js';
export { CodexEvents } from './codex-jsonl.js';
export {
  findRunProcesses,
  newRunToken,
  RUN_TOKEN_VARIABLE,
  stopRunProcesses,
} from './containment.js';
export { describeFailure, describeInterruption, lastOutputLine } from './describe-failure.js';
export { isGroupAlive, killGroup } from './kill-group.js';
export type { StoppedBy } from './limits.js';
export { costOf, resolveModel } from './resolve-model.js';
export { runAgent } from './run-agent.js';
export type { AgentOutcome, AgentResult, AgentUsage, RunAgentOptions } from './types.js';
