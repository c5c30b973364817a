import type { RunRecord } from './run-record.js';

function sameLocalDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return (
    x.getFullYear() === y.getFullYear() &&
    x.getMonth() === y.getMonth() &&
    x.getDate() === y.getDate()
  );
}

/**
 * The cost in USD recorded today (local time) over `records`: each run counts on the day it
 * finished (or started, while it runs). Records read from disk and held by a daemon may overlap:
 * one per ID counts.
 */
export function daySpend(
  records: readonly Pick<RunRecord, 'id' | 'costUsd' | 'finishedAt' | 'startedAt'>[],
  now: number,
): number {
  const byId = new Map(records.map((record) => [record.id, record]));
  let total = 0;
  for (const record of byId.values()) {
    if (record.costUsd === null) continue;
    const at = Date.parse(record.finishedAt ?? record.startedAt);
    if (Number.isFinite(at) && sameLocalDay(at, now)) total += record.costUsd;
  }
  return total;
}
