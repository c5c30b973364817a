/** Token counts reported by an agent for one run. */
export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** What the agent itself reported at the end of its run (claude's final `result` event). */
export interface AgentResult {
  isError: boolean;
  /** `success`, `error_max_turns`, `error_during_execution`, … */
  subtype: string | null;
  /** The final answer text. */
  text: string | null;
  costUsd: number | null;
  numTurns: number | null;
  sessionId: string | null;
  usage: AgentUsage | null;
}

/** How to run one agent process. */
export interface RunAgentOptions {
  /** Executable and arguments; never passed through a shell. */
  argv: string[];
  cwd: string;
  /** Merged over the daemon's own environment. */
  env: Record<string, string>;
  /** Wall-clock limit of the run. */
  stepTimeoutMs: number;
  /** Limit on the run printing nothing on stdout or stderr. */
  idleTimeoutMs: number;
  /** Raw stdout and stderr are appended here. */
  logFile: string;
  /** Aborting stops the whole process group. */
  signal?: AbortSignal;
  /** Called with the pid (= process group id) once the agent runs. */
  onSpawn?: (pid: number) => void;
  /** Time between SIGTERM and SIGKILL; default 5000. */
  killGraceMs?: number;
}

/** How an agent run ended: never thrown, always returned (like execa's `reject: false`). */
export interface AgentOutcome {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  idle: boolean;
  aborted: boolean;
  durationMs: number;
  /** Why the process could not be started at all. */
  spawnError: string | null;
  /** The last ~64 KiB of stdout and stderr, interleaved as received. */
  output: string;
  result: AgentResult | null;
}
