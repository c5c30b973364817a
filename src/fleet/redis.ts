import { Redis } from 'ioredis';
import type { QueueOutage } from './queue-outage.js';

/**
 * A connection to the fleet's Redis server. `maxRetriesPerRequest: null`: a command waits for the
 * server to come back instead of failing (BullMQ workers require it; the coordinator wants it so an
 * outage fails no task). Its errors go to the process's outage, which logs once per outage.
 */
export function connectRedis(url: string, outage: QueueOutage, role: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  outage.follow(redis, role);
  return redis;
}
