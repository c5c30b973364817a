import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonDir } from '../runs/json-dir.js';
import { writeFileAtomic } from '../system/write-file-atomic.js';

/** A worker's heartbeat file in its folder (`DIR/workers/PID.json`), for `health --worker`. */
export interface WorkerBeacon {
  name: string;
  pid: number;
  heartbeat: string;
}

function beaconDir(dir: string): string {
  return join(dir, 'workers');
}

/** Writes this worker's heartbeat (atomically). */
export async function writeBeacon(dir: string, beacon: WorkerBeacon): Promise<void> {
  await writeFileAtomic(
    join(beaconDir(dir), `${String(beacon.pid)}.json`),
    JSON.stringify(beacon) + '\n',
  );
}

/** Removes this worker's heartbeat (it stopped). */
export async function removeBeacon(dir: string, pid: number): Promise<void> {
  await rm(join(beaconDir(dir), `${String(pid)}.json`), { force: true });
}

/** Every worker heartbeat found in DIR. */
export async function readBeacons(dir: string): Promise<WorkerBeacon[]> {
  return (await readJsonDir(beaconDir(dir))) as WorkerBeacon[];
}
