import type { Redis } from 'ioredis';
import { QUEUE_NAME } from './job.js';

const REGISTRY_KEY = `adw:${QUEUE_NAME}:workers`;
/** A worker not seen for this long is gone (it writes every 5 s). */
export const WORKER_GONE_MS = 30_000;

/** A worker as the fleet sees it. */
export interface WorkerInfo {
  name: string;
  host: string;
  pid: number;
  slots: number;
  running: { id: string; attempt: number; step: string | null }[];
  lastSeen: string;
}

/** Writes this worker's entry (its running tasks, a fresh `lastSeen`). */
export async function publishWorker(redis: Redis, info: WorkerInfo): Promise<void> {
  await redis.hset(REGISTRY_KEY, info.name, JSON.stringify(info));
}

/** Removes this worker's entry (it stopped). */
export async function withdrawWorker(redis: Redis, name: string): Promise<void> {
  await redis.hdel(REGISTRY_KEY, name);
}

/** The workers seen recently; older entries (a worker killed) are dropped from Redis. */
export async function listWorkers(redis: Redis, now: number): Promise<WorkerInfo[]> {
  const entries = await redis.hgetall(REGISTRY_KEY);
  const live: WorkerInfo[] = [];
  for (const [name, text] of Object.entries(entries)) {
    const info = JSON.parse(text) as WorkerInfo;
    if (now - Date.parse(info.lastSeen) > WORKER_GONE_MS) await redis.hdel(REGISTRY_KEY, name);
    else live.push(info);
  }
  return live.sort((a, b) => a.name.localeCompare(b.name));
}
