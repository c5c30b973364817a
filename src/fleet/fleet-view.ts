import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { messageOf } from '../daemon/task-run.js';
import { writeFileAtomic } from '../system/write-file-atomic.js';
import { listWorkers } from './worker-registry.js';
import type { WorkerInfo } from './worker-registry.js';

/** `.adw/fleet.json`: the workers as the coordinator last saw them, for `status` without Redis. */
export interface FleetView {
  updatedAt: string;
  workers: WorkerInfo[];
}

const EVERY_MS = 3000;

function viewPath(adwDir: string): string {
  return join(adwDir, 'fleet.json');
}

/** Writes the fleet view every few seconds until stopped. */
export function publishFleetView(
  adwDir: string,
  redis: Redis,
  log: Logger,
): { stop: () => Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  const write = async (): Promise<void> => {
    try {
      const view: FleetView = {
        updatedAt: new Date().toISOString(),
        workers: await listWorkers(redis, Date.now()),
      };
      await writeFileAtomic(viewPath(adwDir), JSON.stringify(view, null, 2) + '\n');
    } catch (error) {
      log.debug({ err: messageOf(error) }, 'could not write the fleet view');
    }
  };
  last = write();
  const timer = setInterval(() => {
    last = last.then(write);
  }, EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      await last;
    },
  };
}

/** The fleet view of a repository, or null when no coordinator wrote one. */
export async function readFleetView(adwDir: string): Promise<FleetView | null> {
  try {
    return JSON.parse(await readFile(viewPath(adwDir), 'utf8')) as FleetView;
  } catch {
    return null;
  }
}
