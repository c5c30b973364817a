import type { Logger } from 'pino';
import { formatDiagnostic } from '../tasks/index.js';
import { scanAndClaim } from './claim-scan.js';
import type { ScanInput, ScanResult } from './claim-scan.js';
import type { DaemonEvent } from './events.js';
import type { HeldTasks } from './held-tasks.js';
import type { MergeWaiter } from './merge-waiter.js';
import { reconcile } from './reconcile.js';
import type { MarkerChange } from './reconcile.js';
import { settleOrphans } from './recovery.js';
import { cancelRequested, isActive, listRunRecords } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import type { RunningTask } from './running-task.js';
import { serialRunner } from './serial.js';

/** How often a live daemon looks for claims of dead daemons on this host to settle. */
const SETTLE_EVERY_MS = 10_000;

/** What the scanner needs from the daemon. */
export interface ScannerDeps extends Pick<
  ScanInput,
  'tasksPath' | 'parseOptions' | 'freeSlots' | 'newId' | 'recordClaims' | 'dropClaims'
> {
  adwDir: string;
  log: Logger;
  held: HeldTasks;
  merges: MergeWaiter;
  owner: { host: string; daemonInstance: string };
  clock: () => number;
  /** A claim's marker is in the file: start its run. */
  onClaimed: (running: RunningTask) => Promise<void>;
  /** Announces what a scan saw (file changes, diagnostics). */
  emit: (event: DaemonEvent) => void;
  /** A held task's outcome is in the file: it is no longer held. */
  onWritten: (running: RunningTask) => void;
  /** A scan finished its work (claims made, outcomes let go). */
  onScanned: () => void;
  stopping: () => boolean;
}

/**
 * The scan loop: one scan at a time, each reconciling tasks.md with the run records, claiming
 * free slots, cancelling runs whose line is gone and letting go of outcomes now in the file.
 */
export function createScanner(deps: ScannerDeps): {
  request: (force: boolean) => Promise<void>;
  idle: () => Promise<void>;
  /** True when the last scan left work it could not do (for the `--once` end). */
  unfinished: () => boolean;
  writeNow: () => Promise<void>;
  /** The operational problem the last scan ended on (still unresolved), or null. */
  problem: () => string | null;
  settleOrphans: () => Promise<void>;
} {
  const { log, held, adwDir } = deps;
  const state = {
    lastHash: null as string | null,
    force: true,
    /** The problem the last scan ended on, and the line logged for it (hint included). */
    problem: null as { message: string; logged: string } | null,
    loggedDiagnostics: '[]',
    lastSettle: Number.NEGATIVE_INFINITY,
    /** The last scan could not finish its work (a problem, a conflict, tasks left unclaimed). */
    unfinished: false,
  };

  /** Logs a problem once, not at every poll, until it changes or goes away. */
  function problem(message: string, hint?: string): void {
    const logged = hint === undefined ? message : `${message}; ${hint}`;
    const again = state.problem?.logged === logged;
    state.problem = { message, logged };
    if (!again) log.error(logged);
  }

  async function records(): Promise<RunRecord[]> {
    // A run being cancelled already owns a ❌ (what `cancel` writes), not a 🟡.
    const view = held
      .all()
      .map(({ record, cancel }) =>
        cancel.signal.aborted && isActive(record)
          ? { ...record, status: 'cancelled' as const, error: 'cancelled' }
          : record,
      );
    const mine = new Map(view.map((record) => [record.id, record]));
    const disk = (await listRunRecords(adwDir)).filter((record) => !mine.has(record.id));
    return [...disk, ...mine.values()];
  }

  async function settle(): Promise<void> {
    state.lastSettle = deps.clock();
    const ctx = {
      adwDir,
      host: deps.owner.host,
      instance: deps.owner.daemonInstance,
      now: deps.clock(),
      log,
    };
    const disk = (await listRunRecords(adwDir)).filter((record) => !held.has(record.id));
    if ((await settleOrphans(disk, ctx)).length > 0) state.force = true;
  }

  async function scan(freeSlots: () => number): Promise<ScanResult> {
    const force = state.force;
    state.force = false;
    return scanAndClaim({ ...deps, freeSlots, records, lastHash: state.lastHash, force });
  }

  async function tick(): Promise<void> {
    if (deps.stopping()) return;
    await deps.merges.retry();
    if (deps.clock() - state.lastSettle >= SETTLE_EVERY_MS) await settle();
    for (const running of held.inPhase('claimed', 'running')) {
      if (!running.cancel.signal.aborted && (await cancelRequested(adwDir, running.id))) {
        log.warn({ id: running.id }, 'cancel asked: stopping the task');
        running.cancel.abort('cancel asked');
      }
    }
    await handle(await scan(deps.freeSlots));
  }

  async function handle(result: ScanResult): Promise<void> {
    if (result.kind === 'unchanged') return;
    state.unfinished = result.kind !== 'scanned' || result.runnableLeft > 0;
    if (result.kind === 'problem') {
      // Scan again at the next poll even if the bytes stay the same (chmod, lock released).
      state.force = true;
      state.lastHash = result.hash;
      problem(result.message, result.hint);
      return;
    }
    state.lastHash = result.hash;
    // Bytes appended while the scan wrote are not read yet: read them now, not at the next poll.
    if (result.hash === null) void runner.request();
    if (result.kind === 'conflict') {
      problem(
        `${deps.tasksPath} is in merge conflict (markers on lines ${result.lines.join(', ')}): nothing is claimed or written until it is resolved`,
      );
      return;
    }
    state.problem = null;
    // Once per set of problems, not per scan: which lines the daemon leaves alone, and why.
    const diagnostics = JSON.stringify(result.diagnostics);
    if (diagnostics !== state.loggedDiagnostics) {
      state.loggedDiagnostics = diagnostics;
      for (const diagnostic of result.diagnostics) {
        const { line, column, severity, rule } = diagnostic;
        log.warn({ line, column, severity, rule }, formatDiagnostic(deps.tasksPath, diagnostic));
      }
      deps.emit({ type: 'diagnostics', diagnostics: result.diagnostics });
    }
    deps.emit({ type: 'file.changed' });
    for (const change of result.changes) logChange(change);
    for (const id of result.missing) {
      const running = held.get(id);
      if (running === undefined || running.cancel.signal.aborted) continue;
      log.warn({ id }, 'the line of a running task was deleted: cancelling it');
      running.cancel.abort('line deleted');
    }
    for (const claim of result.claims) {
      const running = held.get(claim.id);
      if (running !== undefined) await deps.onClaimed(running);
    }
    letGoWritten(result.text);
    deps.onScanned();
  }

  function logChange(change: MarkerChange): void {
    const running = held.get(change.id);
    if (running?.phase === 'outcome-pending' && !change.byText) return;
    const { id, line, before, marker } = change;
    log.warn(
      {
        id,
        line,
        marker: marker.status,
        hint: `to run it again on purpose: adw-trigger retry ${id}${marker.status === 'done' ? ' --done' : ''}, or change the line's text`,
      },
      `${deps.tasksPath}:${line}: marker put back from run ${id} (${marker.status}); the line read \`${before}\``,
    );
  }

  // Outcomes now shown in the file (or whose line is gone) are no longer held.
  function letGoWritten(text: string): void {
    const pending = held.inPhase('outcome-pending');
    if (pending.length === 0) return;
    const records = pending.map((running) => running.record);
    const left = new Set(reconcile(text, records, deps.parseOptions).changes.map((c) => c.id));
    for (const running of pending) {
      if (left.has(running.id)) continue;
      held.delete(running.id);
      deps.onWritten(running);
    }
  }

  const runner = serialRunner(tick, {
    onError: (error) => {
      log.error({ err: error }, 'unexpected error while scanning the tasks file');
    },
    stopped: deps.stopping,
  });

  return {
    request(force) {
      state.force ||= force;
      return runner.request();
    },
    idle: async () => {
      await runner.current();
    },
    unfinished: () => state.unfinished,
    problem: () => state.problem?.message ?? null,
    async writeNow() {
      state.force = true;
      await handle(await scan(() => 0));
    },
    settleOrphans: settle,
  };
}
