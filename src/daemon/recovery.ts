import type { Logger } from 'pino';
import { isGroupAlive, killGroup, stopRunProcesses } from '../agents/index.js';
import { failTask, parseTasks, sanitizeReason } from '../tasks/index.js';
import type { ParseOptions } from '../tasks/index.js';
import { readTasksFile, updateTasksFile } from '../store/index.js';
import { isAlive, processStartTime } from './processes.js';
import { readRunRecord, writeRunRecord } from './run-record.js';
import type { RunRecord } from './run-record.js';

/** A heartbeat older than this means the daemon that wrote it is gone (it beats every 10 s). */
export const STALE_HEARTBEAT_MS = 60_000;

/** Who is recovering: this daemon's identity and clock. */
export interface RecoveryContext {
  tasksPath: string;
  adwDir: string;
  parseOptions: ParseOptions;
  host: string;
  instance: string;
  now: number;
  log: Logger;
}

/** True when the daemon that owns this run record is gone, judged from this host. */
export function isOrphaned(
  record: RunRecord,
  ctx: Pick<RecoveryContext, 'host' | 'instance' | 'now'>,
): boolean {
  if (record.host !== ctx.host) return false;
  // In a container the daemon is often the same pid after every restart: same pid, other instance.
  if (record.daemonPid === process.pid) return record.daemonInstance !== ctx.instance;
  if (!isAlive(record.daemonPid)) return true;
  return ctx.now - Date.parse(record.heartbeat) > STALE_HEARTBEAT_MS;
}

/**
 * After a crash (kill -9, power loss): every 🟡 task whose run record shows this host and a dead
 * daemon is marked failed `interrupted (daemon stopped)`, after its orphaned agent process group is
 * stopped. The group is signalled only if its leader is still the process that was recorded (same
 * kernel start time), so a recycled pid is never hit. A 🟡 task without a run record is left alone:
 * someone set it by hand, and `status` reports it.
 */
export async function recoverInterrupted(ctx: RecoveryContext): Promise<string[]> {
  const snapshot = await readTasksFile(ctx.tasksPath);
  const inProgress = parseTasks(snapshot.text, ctx.parseOptions).tasks.filter(
    (task) => task.status === 'in_progress' && task.id !== null,
  );
  const orphans: RunRecord[] = [];
  for (const task of inProgress) {
    const record = await readRunRecord(ctx.adwDir, task.id ?? '');
    if (record === null) {
      ctx.log.warn(
        { id: task.id, line: task.line },
        'task is in progress but has no run record; left alone',
      );
    } else if (isOrphaned(record, ctx)) {
      orphans.push(record);
    }
  }
  if (orphans.length === 0) return [];

  for (const record of orphans) {
    await stopOrphanedAgent(record, ctx.log);
    // Whatever the agent started outside its group carries the run's token.
    if (typeof record.runToken === 'string') await stopRunProcesses(record.runToken);
  }
  const reason = sanitizeReason('interrupted (daemon stopped)');
  await updateTasksFile(ctx.tasksPath, (text) => {
    for (const record of orphans) {
      const result = failTask(text, record.id, reason);
      if (result.ok) text = result.text;
    }
    return text;
  });
  const finishedAt = new Date(ctx.now).toISOString();
  for (const record of orphans) {
    await writeRunRecord(ctx.adwDir, {
      ...record,
      status: 'interrupted',
      error: reason,
      finishedAt,
    });
    ctx.log.warn(
      { id: record.id, section: record.section, daemonPid: record.daemonPid },
      'task interrupted by a daemon that stopped; marked failed',
    );
  }
  return orphans.map((record) => record.id);
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
