import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A connection to the fleet's Redis server. `maxRetriesPerRequest: null`: a command waits for the
 * server to come back instead of failing (BullMQ workers require it; the coordinator wants it so an
 * outage fails no task). Connection errors are logged once per outage, not once per retry.
 */
export function connectRedis(url: string, log: Logger, role: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error.message, role }, 'Redis unreachable; retrying');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info({ role }, 'Redis reachable again');
  });
  return redis;
}
