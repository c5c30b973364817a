import type { Logger } from 'pino';
import { outcomeEffect } from '../daemon/outcome-edit.js';
import { isActive, listRunRecords, writeRunRecord } from '../runs/index.js';
import type { RunRecord } from '../runs/index.js';
import { messageOf } from '../daemon/task-run.js';
import type { FleetCoordinator } from './coordinator.js';

const BEAT_MS = 10_000;

/**
 * After a coordinator restart (kill -9, power loss): every run it had handed to the queue is
 * found again by its job, instead of being failed as a local run of a dead daemon would be. A job
 * that ended is settled now (fetched, merged, recorded); one still queued or running is watched
 * until it ends; one the queue never got is given back to `[]`. The run records are written, and
 * the daemon's next scan puts their markers into tasks.md. Watches go on in the background.
 */
export async function recoverFleetRuns(
  adwDir: string,
  fleet: FleetCoordinator,
  log: Logger,
  onSettled: () => void,
): Promise<void> {
  for (const record of await listRunRecords(adwDir)) {
    const run = record.fleet;
    if (!isActive(record) || run === undefined) continue;
    const job = await fleet.queue.getJob(run.jobId);
    if (job === undefined) {
      await writeRunRecord(adwDir, { ...record, status: 'released', error: null });
      log.warn({ id: record.id }, 'fleet task never reached the queue; put back to []');
      continue;
    }
    log.info({ id: record.id, attempt: run.attempt }, 'fleet task found in the queue again');
    // Never rejects: its failures are logged.
    void settleWhenEnded(adwDir, fleet, record, log).then(onSettled);
  }
}

async function settleWhenEnded(
  adwDir: string,
  fleet: FleetCoordinator,
  record: RunRecord,
  log: Logger,
): Promise<void> {
  const run = record.fleet;
  if (run === undefined) return;
  let current: RunRecord = { ...record, heartbeat: new Date().toISOString() };
  // The coordinator's heartbeat for a run it watches but does not hold: status sees it alive.
  const beat = setInterval(() => {
    current = { ...current, heartbeat: new Date().toISOString() };
    void writeRunRecord(adwDir, current).catch(() => undefined);
  }, BEAT_MS);
  try {
    const end = await fleet.watch.wait(run.jobId, (progress) => {
      current = {
        ...current,
        step: progress.step ?? current.step,
        fleet: { ...run, attempt: progress.attempt, worker: progress.worker },
        heartbeat: new Date().toISOString(),
      };
      void writeRunRecord(adwDir, current).catch(() => undefined);
    });
    const task = { id: record.id, section: record.section, branch: record.branch, base: run.base };
    const outcome = await fleet.outcomeOf(task, end);
    const effect = outcomeEffect(outcome);
    const result = end.kind === 'completed' ? end.result : null;
    const finishedAt = new Date().toISOString();
    await writeRunRecord(adwDir, {
      ...current,
      status: effect.status,
      commit: effect.commit,
      error: effect.error,
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(current.startedAt),
      costUsd: result?.workflow?.costUsd ?? current.costUsd,
      ...(result === null
        ? {}
        : { fleet: { ...run, attempt: result.attempt, worker: result.worker } }),
    });
    log.info({ id: record.id, status: effect.status }, 'recovered fleet task settled');
  } catch (error) {
    log.error({ id: record.id, err: messageOf(error) }, 'could not settle a recovered fleet task');
  } finally {
    clearInterval(beat);
  }
}
