export { humanizeLine, humanizeText } from './humanize-line.js';
export { humanizeClaudeEvent, mainArgument } from './claude-event.js';
export { humanizeCodexEvent } from './codex-event.js';
export { LineSplitter } from './line-splitter.js';
export { isStepName, listStepLogs, LogReader, readHumanLog, tailHumanLog } from './step-logs.js';
export type { StepLog } from './step-logs.js';
export { followRun, isRunLive } from './follow-run.js';
export type { FollowEnd, FollowOptions } from './follow-run.js';
