import type { Logger } from 'pino';
import { isGroupAlive, killGroup, stopRunProcesses } from '../agents/index.js';
import { sanitizeReason } from '../tasks/index.js';
import { cancelRequested, isActive, liveness, runOwnerOf, writeRunRecord } from '../runs/index.js';
import { isAlive, processStartTime } from '../system/processes.js';
import type { RunRecord } from '../runs/index.js';

/** Who is recovering: this daemon's identity and clock. */
export interface RecoveryContext {
  adwDir: string;
  host: string;
  instance: string;
  now: number;
  log: Logger;
}

/**
 * Settles the runs of daemons that are gone (kill -9, power loss), from their run records, not
 * from the file's 🟡 lines (a stale save may have hidden them): every active record of this host
 * whose daemon is dead gets its agent process group stopped, then its outcome: `released` when no
 * agent ever started (the line goes back to `[]`), `cancelled` when a cancel was asked, else
 * `interrupted`. Final records are never touched: their marker is restored, not overwritten. The
 * group is signalled only if its leader is still the recorded process (same kernel start time),
 * so a recycled pid is never hit. Returns the settled records; the next write of tasks.md puts
 * their markers in.
 */
export async function settleOrphans(
  records: readonly RunRecord[],
  ctx: RecoveryContext,
): Promise<RunRecord[]> {
  const settled: RunRecord[] = [];
  const observer = { host: ctx.host, instance: ctx.instance, now: ctx.now };
  for (const record of records) {
    // A daemon of another host is never judged dead from here: its pid means nothing on this host.
    if (!isActive(record) || liveness(runOwnerOf(record), observer) !== 'dead') continue;
    await stopOrphanedAgent(record, ctx.log);
    // Whatever the agent started outside its group carries the run's token.
    if (typeof record.runToken === 'string') await stopRunProcesses(record.runToken);
    const cancelled = await cancelRequested(ctx.adwDir, record.id);
    const status = cancelled ? 'cancelled' : record.agentPid === null ? 'released' : 'interrupted';
    const error =
      status === 'released'
        ? null
        : status === 'cancelled'
          ? 'cancelled'
          : sanitizeReason('interrupted (daemon stopped)');
    const next: RunRecord = {
      ...record,
      status,
      error,
      finishedAt: new Date(ctx.now).toISOString(),
    };
    await writeRunRecord(ctx.adwDir, next);
    settled.push(next);
    ctx.log.warn(
      { id: record.id, section: record.section, daemonPid: record.daemonPid, status },
      status === 'released'
        ? 'task claimed by a daemon that stopped before its agent started; put back to []'
        : `task of a daemon that stopped settled as ${status}`,
    );
  }
  return settled;
}

async function stopOrphanedAgent(record: RunRecord, log: Logger): Promise<void> {
  const pgid = record.agentPid;
  if (pgid === null || !(await isGroupAlive(pgid))) return;
  if (record.agentStartTime !== null && (await processStartTime(pgid)) !== record.agentStartTime) {
    // The leader is gone or is another process now; members of the old group may remain, but a
    // group id that may have been reused is not one we signal.
    if (isAlive(pgid)) {
      log.warn(
        { id: record.id, pid: pgid },
        'recorded agent pid now belongs to another process; not signalled',
      );
      return;
    }
  }
  log.warn({ id: record.id, pid: pgid }, 'stopping orphaned agent process group');
  await killGroup(pgid, 5000);
}
