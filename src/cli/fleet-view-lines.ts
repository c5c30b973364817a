import type { FleetView } from '../fleet/fleet-view.js';

/** Where a fleet run is: `attempt 2 on host:pid`, or queued. */
export function fleetPlace(attempt: number, worker: string | null | undefined): string {
  return worker === null || worker === undefined || attempt === 0
    ? 'queued'
    : `attempt ${String(attempt)} on ${worker}`;
}

function ago(iso: string, now: number): string {
  return `${String(Math.max(0, Math.round((now - Date.parse(iso)) / 1000)))}s ago`;
}

/** The `Fleet` part of `status`: each worker with its slots, running tasks and last sighting. */
export function fleetLines(view: FleetView, now: number): string[] {
  const lines = [`Fleet (workers as the coordinator saw them ${ago(view.updatedAt, now)})`];
  if (view.workers.length === 0) lines.push('  no worker connected');
  for (const worker of view.workers) {
    const tasks = worker.running.map((run) => `${run.id} (${run.step ?? 'starting'})`);
    lines.push(
      `  ${worker.host}  pid ${String(worker.pid)}  ${String(worker.running.length)}/${String(worker.slots)} slots  seen ${ago(worker.lastSeen, now)}${tasks.length === 0 ? '' : `  running ${tasks.join(', ')}`}`,
    );
  }
  return lines;
}
