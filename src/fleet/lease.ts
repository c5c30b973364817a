import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { thisHost } from '../runs/index.js';
import { isAlive } from '../system/processes.js';
import { AdwError } from '../errors.js';
import { QUEUE_NAME } from './job.js';

const LEASE_KEY = `adw:${QUEUE_NAME}:coordinator`;
const TTL_MS = 15_000;
// Only the holder may renew or drop the lease: compare, then act, in one script. A lease that
// lapsed while Redis was unreachable (nobody took it) is the holder's again.
const RENEW = `local v = redis.call('GET', KEYS[1]) if v == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) elseif v == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 else return 0 end`;
const SWAP = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** The one coordinator of a queue: a Redis key it holds and renews; a dead holder's key expires. */
export class CoordinatorLease {
  readonly #token: string;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    readonly holder: string,
  ) {
    this.#token = `${holder} ${randomUUID()}`;
  }

  /** Takes the lease or throws naming the coordinator that holds it; renews it until `release`. */
  async acquire(onLost: () => void): Promise<void> {
    const taken = await this.redis.set(LEASE_KEY, this.#token, 'PX', TTL_MS, 'NX');
    if (taken !== 'OK' && !(await this.#takeOverDead())) {
      const other = (await this.redis.get(LEASE_KEY)) ?? 'another coordinator';
      throw new AdwError(
        'QUEUE_TAKEN',
        `Another coordinator already runs this queue (${other.split(' ')[0] ?? other}); one coordinator per queue. If it is gone, its lease expires within ${String(TTL_MS / 1000)} s.`,
      );
    }
    this.#timer = setInterval(() => {
      this.redis.eval(RENEW, 1, LEASE_KEY, this.#token, TTL_MS).then(
        (renewed) => {
          if (renewed === 0) onLost();
        },
        // Redis unreachable: the next renewal tries again; the lease may lapse meanwhile.
        () => undefined,
      );
    }, TTL_MS / 3);
    this.#timer.unref();
  }

  // A holder on this host whose process is gone (kill -9, then a restart within the lease's
  // lifetime) is dead for sure: take its lease over at once, compare-and-set so that of two
  // restarting coordinators only one wins. A holder elsewhere is waited out (its lease expires).
  async #takeOverDead(): Promise<boolean> {
    const current = await this.redis.get(LEASE_KEY);
    if (current === null) {
      return (await this.redis.set(LEASE_KEY, this.#token, 'PX', TTL_MS, 'NX')) === 'OK';
    }
    const match = /^(.*):(\d+) /.exec(current);
    if (match === null || match[1] !== thisHost()) return false;
    const pid = Number(match[2]);
    if (pid !== process.pid && isAlive(pid)) return false;
    return (await this.redis.eval(SWAP, 1, LEASE_KEY, current, this.#token, TTL_MS)) === 1;
  }

  /** Stops renewing and drops the lease, if still ours. */
  async release(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    await this.redis.eval(RELEASE, 1, LEASE_KEY, this.#token);
  }
}
