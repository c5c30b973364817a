export { agentArgv } from './agent-argv.js';
export {
  hasFailedMarker,
  isRootRefusal,
  readClaudeStream,
  ROOT_REFUSAL_REASON,
  ROOT_REFUSAL_TEXT,
} from './claude-stream.js';
export { describeFailure, describeInterruption, lastOutputLine } from './describe-failure.js';
export type { StepLimits } from './describe-failure.js';
export { isGroupAlive, killGroup } from './kill-group.js';
export { runAgent } from './run-agent.js';
export type { AgentOutcome, AgentResult, AgentUsage, RunAgentOptions } from './types.js';
