import { join, relative } from 'node:path';
import type { ConfigState } from '../daemon/index.js';
import { listDaemonRecords, liveness, observerHere } from '../runs/index.js';
import type { StatusReport } from './status-report.js';
import { printable } from './terminal-text.js';

/** A daemon serving the task file, as `status` shows it. */
export interface ServingDaemon {
  host: string;
  pid: number;
  startedAt: string;
  heartbeat: string;
  /** The dashboard's address, when the daemon was started with `--http`. */
  dashboard: string | null;
  /** Whether the configuration files on disk are the ones in force; null: not recorded. */
  config: ConfigState | null;
}

/** The live daemons (fresh heartbeat; pid alive when on this host) serving `tasksPath`. */
export async function servingDaemons(root: string, tasksPath: string): Promise<ServingDaemon[]> {
  const observer = observerHere(Date.now());
  return (await listDaemonRecords(join(root, '.adw')))
    .filter((record) => record.tasksFile === tasksPath && liveness(record, observer) === 'live')
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((record) => ({
      host: record.host,
      pid: record.pid,
      startedAt: record.startedAt,
      heartbeat: record.heartbeat,
      dashboard: record.dashboard ?? null,
      config: record.config ?? null,
    }));
}

// What a daemon says about its configuration: nothing while the files on disk are in force.
function configLines(state: ConfigState | null): string[] {
  if (state === null) return [];
  const lines: string[] = [];
  if (!state.inForce) {
    lines.push(
      `  ${state.file ?? 'the configuration'} on disk is NOT in force: ${state.error ?? 'refused'}`,
      `  running on the configuration loaded at ${state.loadedAt}; fix the file to apply it`,
    );
  }
  if (state.needsRestart.length > 0) {
    lines.push(`  changed, needs a restart to apply: ${state.needsRestart.join(', ')}`);
  }
  return lines;
}

/** The step log of a running task, relative to the repository (`.adw/runs/ID/STEP.log`). */
export function runLogPath(id: string, step: string | null): string {
  return join('.adw', 'runs', id, step === null ? '' : `${step}.log`);
}

/** The text lines of `status` about who serves the file and where running tasks log. */
export function renderServing(
  report: StatusReport,
  daemons: readonly ServingDaemon[],
  root: string,
  tasksPath: string,
): string {
  const out: string[] = [''];
  if (daemons.length === 0) {
    out.push(`No daemon is serving ${relative(root, tasksPath)} (adw-trigger start runs one)`);
  }
  for (const daemon of daemons) {
    const where = `Served by daemon ${daemon.pid} on ${daemon.host}, since ${daemon.startedAt}`;
    out.push(daemon.dashboard === null ? where : `${where}; dashboard ${daemon.dashboard}`);
    out.push(...configLines(daemon.config).map(printable));
  }
  if (report.runs.length > 0) {
    out.push('', 'Logs (raw; readable with the command beside each)');
    for (const run of report.runs) {
      out.push(`  ${run.id}  ${runLogPath(run.id, run.step)}  adw-trigger logs ${run.id} -f`);
    }
  }
  return out.join('\n') + '\n';
}
