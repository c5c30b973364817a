import type { AgentKind } from './agent-spec.js';
import type { StoppedBy } from './limits.js';

/** Token counts reported by an agent for one run. */
export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** What the agent itself reported at the end of its run (claude's `result` event, codex's events). */
export interface AgentResult {
  isError: boolean;
  /** `success`, `error_max_turns`, `error_during_execution`, `turn_failed`, … */
  subtype: string | null;
  /** The final answer text, or the error the agent reported when `isError`. */
  text: string | null;
  costUsd: number | null;
  numTurns: number | null;
  sessionId: string | null;
  usage: AgentUsage | null;
  /** Claude's label of the API error behind an error result (`rate_limit`, `authentication_failed`, …). */
  apiError?: string | null;
}

/** How to run one agent process. */
export interface RunAgentOptions {
  /** Executable and arguments; never passed through a shell. */
  argv: string[];
  /** Written to the agent's stdin, which is then closed (default: nothing). */
  stdin?: string;
  /** How the agent's stdout is read (default `plain`). */
  reader?: AgentKind | 'plain';
  cwd: string;
  /** Merged over the daemon's own environment. */
  env: Record<string, string>;
  /** Wall-clock limit of the run. */
  stepTimeoutMs: number;
  /** Limit on the run printing nothing on stdout or stderr. */
  idleTimeoutMs: number;
  /** Raw stdout and stderr are appended here. */
  logFile: string;
  /** Aborting stops every process of the run. */
  signal?: AbortSignal;
  /** Called with the pid (= process group id) once the agent runs. */
  onSpawn?: (pid: number) => void;
  /** Time between SIGTERM and SIGKILL; default 5000. */
  killGraceMs?: number;
  /** Marks every process of the run (ADW_RUN_TOKEN); a fresh one when not given. */
  token?: string;
}

/** How an agent run ended: never thrown, always returned (like execa's `reject: false`). */
export interface AgentOutcome {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  /** The limit or abort that made us stop it; null when it ended by itself. */
  stoppedBy: StoppedBy | null;
  durationMs: number;
  /** Why the process could not be started at all. */
  spawnError: string | null;
  /** The last ~64 KiB of stdout and stderr, interleaved as received. */
  output: string;
  result: AgentResult | null;
  /** The agent's final answer (claude's result, codex's last message, a plain agent's stdout). */
  answer: string | null;
}
