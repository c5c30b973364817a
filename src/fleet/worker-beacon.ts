import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
  await mkdir(beaconDir(dir), { recursive: true });
  const path = join(beaconDir(dir), `${String(beacon.pid)}.json`);
  await writeFile(`${path}.tmp`, JSON.stringify(beacon) + '\n');
  await rename(`${path}.tmp`, path);
}

/** Removes this worker's heartbeat (it stopped). */
export async function removeBeacon(dir: string, pid: number): Promise<void> {
  await rm(join(beaconDir(dir), `${String(pid)}.json`), { force: true });
}

/** Every worker heartbeat found in DIR. */
export async function readBeacons(dir: string): Promise<WorkerBeacon[]> {
  let names: string[];
  try {
    names = await readdir(beaconDir(dir));
  } catch {
    return [];
  }
  const beacons: WorkerBeacon[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json'))) {
    try {
      beacons.push(JSON.parse(await readFile(join(beaconDir(dir), name), 'utf8')) as WorkerBeacon);
    } catch {
      // Being replaced right now: the next check reads it.
    }
  }
  return beacons;
}
