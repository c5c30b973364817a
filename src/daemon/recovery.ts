import type { Logger } from 'pino';
import { isGroupAlive, killGroup, stopRunProcesses } from '../agents/index.js';
import { sanitizeReason } from '../tasks/index.js';
import { cancelRequested, isActive, STALE_HEARTBEAT_MS, writeRunRecord } from '../runs/index.js';
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
 * True when the daemon that owns this run record is gone, judged from this host: the one rule of
 * liveness for recovery, `status` and `health`. A record of another host is never judged dead.
 */
export function isOrphaned(
  record: Pick<RunRecord, 'host' | 'daemonPid' | 'daemonInstance' | 'heartbeat'>,
  ctx: Pick<RecoveryContext, 'host' | 'instance' | 'now'>,
): boolean {
  if (record.host !== ctx.host) return false;
  // In a container the daemon is often the same pid after every restart: same pid, other instance.
  if (record.daemonPid === process.pid) return record.daemonInstance !== ctx.instance;
  if (!isAlive(record.daemonPid)) return true;
  return ctx.now - Date.parse(record.heartbeat) > STALE_HEARTBEAT_MS;
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
  for (const record of records) {
    if (!isActive(record) || !isOrphaned(record, ctx)) continue;
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
