import type { Logger } from 'pino';
import type { AgentSpec } from '../agents/index.js';
import type { Config } from '../config/schema.js';
import type { GitRepo } from '../git/index.js';
import type { Workflow, WorkflowJob, WorkflowOutcome } from '../workflows/index.js';
import type { ConfigInForce } from './config-in-force.js';
import type { DaemonEvents } from './events.js';
import type { TaskRunner } from './task-run.js';

/** Everything the daemon needs, passed in so the wiring is visible. */
export interface DaemonDeps {
  config: Config;
  repo: GitRepo;
  /** Absolute path of tasks.md. */
  tasksPath: string;
  log: Logger;
  workflows: readonly Workflow[];
  runWorkflow: (job: WorkflowJob) => Promise<WorkflowOutcome>;
  /** The agent of every task; built from `config` when not given. */
  agent?: AgentSpec;
  /** Extra environment for every agent, on top of the daemon's own. */
  agentEnv?: Record<string, string>;
  poll?: boolean;
  heartbeatMs?: number;
  /** Milliseconds since the epoch; tests pass their own clock. */
  clock?: () => number;
  /** Waits between `--once` write attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Runs each claimed task: the local run in a worktree of `repo` when not given; the fleet's
   * coordinator hands it to a worker; tests pass one that works in memory. */
  runner?: TaskRunner;
  /** False: no file watcher (tests drive scans through the poll timer or `runOnce`). */
  watch?: boolean;
  /** Where claims, steps, outcomes and scans are announced (HTTP events, notifications). */
  events?: DaemonEvents;
  /** The dashboard's address, written into the daemon record for `status`. */
  dashboardUrl?: string;
  /**
   * The configuration in force, when it reloads live (`start`); else `config`, `workflows` and
   * `agent` stay as given. `config` is still what the daemon started with (restart-only keys).
   */
  live?: ConfigInForce;
}

/** Counts of how runs ended, for `--once` exit codes and logs. */
export interface DaemonSummary {
  done: number;
  failed: number;
  cancelled: number;
  released: number;
  /** Outcomes that could not be written into tasks.md (they are in their run records). */
  unwritten: number;
  /** An operational problem left unresolved at the end (file unreadable, not UTF-8, lock held). */
  problems: number;
}

/** A running daemon: `start` watches until `stop`; `runOnce` works until nothing more can start. */
export interface Daemon {
  start(): Promise<void>;
  runOnce(): Promise<DaemonSummary>;
  /** Stops once; every caller gets the same promise. Rejects when a cleanup failed. */
  stop(): Promise<void>;
  /** Reconciles tasks.md with the run records now (a record changed outside the daemon). */
  rescan(): void;
}
