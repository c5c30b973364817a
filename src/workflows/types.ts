import type { AgentSpec, StepLimits } from '../agents/agent-spec.js';
import type { ClassifiedFailure, FailureClass } from '../agents/classify-failure.js';
import type { AgentUsage } from '../agents/types.js';

/** One `## NAME` section of a workflow file. */
export interface Step {
  name: string;
  /** `agent`: the body is a prompt template; `sh`: the body was a single fenced sh block. */
  kind: 'agent' | 'sh';
  /** The prompt template, or the shell command of an sh step. */
  template: string;
  /** 1-based line of the `## NAME` heading. */
  line: number;
}

/** A workflow file, parsed and checked (SPEC §4). */
export interface Workflow {
  name: string;
  tags: string[];
  /** Model from the front matter; applies to tasks without a model tag. */
  model: string | null;
  description: string | null;
  /** The file it was read from. */
  file: string;
  steps: Step[];
}

/** The task as the workflow needs it. */
export interface WorkflowTask {
  id: string;
  section: string;
  /** Description without model/workflow tags, plus the details lines: `{{task}}`. */
  prompt: string;
  /** `{{details}}`, joined by newlines. */
  details: string[];
  description: string;
  /** The model the task's tags name, or null: resolveModel decides what runs. */
  modelTag: string | null;
}

/** Everything runWorkflow needs for one task: the seam the daemon calls. */
export interface WorkflowJob {
  workflow: Workflow;
  task: WorkflowTask;
  branch: string;
  worktree: string;
  /** `.adw/runs/ID`: one `STEP.log` per step is written here. */
  runDir: string;
  /** The agent every agent step runs, and the limits of every step. */
  agent: AgentSpec;
  limits: StepLimits;
  /** Marks every process of this task's run (ADW_RUN_TOKEN); see stopRunProcesses. */
  token?: string;
  /** Extra environment for every step (e.g. IS_SANDBOX, ANTHROPIC_BASE_URL), under the ADW_* variables. */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Called when a step starts. */
  onStep?: (step: string) => void;
  /** Called with the pid (= process group) of each process started, and null once it ended. */
  onSpawn?: (pid: number | null) => void;
  /** Called after each step that succeeded; a reason it returns fails the workflow there. */
  afterStep?: (step: string) => Promise<string | null>;
  /** The daemon's dispatch pause: rate limits are reported to it and waited out together. */
  pause?: StepPause;
  /** Called for each failed agent attempt (the run record's attempt history). */
  onAttemptFailed?: (attempt: FailedAttempt) => void;
}

/** What a step needs of the dispatch pause. */
export interface StepPause {
  /** Resolves once no rate-limit pause is on (at once when the signal aborts). */
  ready(signal?: AbortSignal): Promise<void>;
  /** An agent hit a rate limit: dispatch pauses until `resetAt`, or for a backoff when null. */
  rateLimited(resetAt: number | null, message: string): void;
}

/** One failed attempt of an agent step, as the run record keeps it. */
export interface FailedAttempt {
  step: string;
  attempt: number;
  class: FailureClass;
  error: string;
  at: string;
  /** How long the next attempt waited (backoff or pause), in ms. */
  waitMs: number | null;
}

/** How one step went. */
export interface StepOutcome {
  name: string;
  ok: boolean;
  durationMs: number;
  attempts: number;
  costUsd: number | null;
}

/** How the whole workflow went; an agent failing is an outcome, never an exception. */
export interface WorkflowOutcome {
  ok: boolean;
  /** One line: why it failed. */
  error: string | null;
  costUsd: number | null;
  numTurns: number | null;
  usage: AgentUsage | null;
  sessionId: string | null;
  steps: StepOutcome[];
  /** The classified agent failure that ended the workflow, if one did. */
  failure?: ClassifiedFailure;
}
