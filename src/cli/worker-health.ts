import { liveness, observerHere, STALE_HEARTBEAT_MS } from '../runs/index.js';
import { readBeacons } from '../fleet/worker-beacon.js';

/** `health --worker DIR`: 0 when a worker using DIR is alive with a fresh heartbeat, else 1. */
export async function workerHealth(dir: string): Promise<number> {
  const observer = observerHere(Date.now());
  const { host, now } = observer;
  // A worker's folder is on its own machine: the rule of a daemon of this host applies.
  const live = (await readBeacons(dir)).filter(
    (beacon) => liveness({ ...beacon, host, instance: '' }, observer) === 'live',
  );
  if (live.length === 0) {
    process.stdout.write(
      `unhealthy: no worker in ${dir} with a heartbeat in the last ${String(STALE_HEARTBEAT_MS / 1000)}s\n`,
    );
    return 1;
  }
  for (const beacon of live) {
    const ago = Math.round((now - Date.parse(beacon.heartbeat)) / 1000);
    process.stdout.write(`healthy: worker ${beacon.name}, heartbeat ${String(ago)}s ago\n`);
  }
  return 0;
}
