import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { listDaemonRecords, liveness, observerHere, STALE_HEARTBEAT_MS } from '../runs/index.js';
import { repoCommand } from './options.js';
import { workerHealth } from './worker-health.js';

/** `adw-trigger health`: exit 0 when a daemon on this host has a fresh heartbeat (Docker HEALTHCHECK). */
export function register(program: Command): void {
  repoCommand(
    program,
    'health',
    'exit 0 when a daemon on this host is alive with a fresh heartbeat, 1 otherwise (for health checks)',
    'the repository the daemon serves',
  )
    .option('--worker <dir>', "check a fleet worker instead, by its folder (worker's --dir)")
    .action(async (options: { repo: string; worker?: string }) => {
      if (options.worker !== undefined) {
        process.exitCode = await workerHealth(resolve(options.worker));
        return;
      }
      const records = await listDaemonRecords(join(resolve(options.repo), '.adw'));
      const observer = observerHere(Date.now());
      const { host, now } = observer;
      const live = records.filter(
        (record) => record.host === host && liveness(record, observer) === 'live',
      );
      if (live.length === 0) {
        process.stdout.write(
          `unhealthy: no daemon on ${host} with a heartbeat in the last ${STALE_HEARTBEAT_MS / 1000}s\n`,
        );
        process.exitCode = 1;
        return;
      }
      for (const record of live) {
        process.stdout.write(
          `healthy: daemon ${record.pid} on ${host}, heartbeat ${Math.round((now - Date.parse(record.heartbeat)) / 1000)}s ago\n`,
        );
      }
    });
}
