import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { isAlive, listDaemonRecords, STALE_HEARTBEAT_MS, thisHost } from '../daemon/index.js';
import { workerHealth } from './worker-health.js';

/** `adw-trigger health`: exit 0 when a daemon on this host has a fresh heartbeat (Docker HEALTHCHECK). */
export function registerHealth(program: Command): void {
  program
    .command('health')
    .description(
      'exit 0 when a daemon on this host is alive with a fresh heartbeat, 1 otherwise (for health checks)',
    )
    .option('--repo <dir>', 'the repository the daemon serves', '.')
    .option('--worker <dir>', "check a fleet worker instead, by its folder (worker's --dir)")
    .action(async (options: { repo: string; worker?: string }) => {
      if (options.worker !== undefined) {
        process.exitCode = await workerHealth(resolve(options.worker));
        return;
      }
      const records = await listDaemonRecords(join(resolve(options.repo), '.adw'));
      const host = thisHost();
      const now = Date.now();
      const live = records.filter(
        (record) =>
          record.host === host &&
          isAlive(record.pid) &&
          now - Date.parse(record.heartbeat) <= STALE_HEARTBEAT_MS,
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
