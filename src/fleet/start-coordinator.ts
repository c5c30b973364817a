import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { TaskRunner } from '../daemon/task-run.js';
import type { GitRepo } from '../git/index.js';
import { createFleetCoordinator } from './coordinator.js';
import { recoverFleetRuns } from './recover-fleet-runs.js';
import { publishFleetView } from './fleet-view.js';

/** What `start` adds for a fleet: the runner that hands tasks to the queue, and its shutdown. */
export interface FleetStart {
  runner: TaskRunner;
  close(): Promise<void>;
}

/**
 * `start --queue`: takes the queue's coordinator lease, finds the runs an earlier coordinator
 * handed out, and returns the daemon's runner. Null when no queue is configured (a local daemon).
 */
export async function startCoordinator(
  config: Config,
  repo: GitRepo,
  log: Logger,
  stop: () => void,
  /** A recovered run's record was settled: the daemon should write its marker. */
  onSettled: () => void,
): Promise<FleetStart | null> {
  if (config.queue === undefined) return null;
  const coordinator = await createFleetCoordinator({
    config,
    queueUrl: config.queue,
    repo,
    log,
    onLeaseLost: () => {
      log.error('another coordinator took the queue over; stopping');
      stop();
    },
  });
  const adwDir = join(repo.root, '.adw');
  await recoverFleetRuns(adwDir, coordinator, log, onSettled);
  const view = publishFleetView(adwDir, coordinator.redis, log);
  log.info({ remote: config.remote }, 'coordinating a fleet: tasks go to the queue');
  return {
    runner: coordinator.runner,
    close: () => coordinator.close([['stop the fleet view', () => view.stop()]]),
  };
}
