import { Redis } from 'ioredis';
import type { ResponseCache } from '../../../core/ports/response-cache.js';

export interface RedisResponseCacheOptions {
  /** A connected client; the composition root owns it (and quits it). See `connect` for one that fails fast. */
  redis: Redis;
  /** Put before every key, e.g. `bw:cache:`. */
  prefix: string;
  /** Every failed get or set (a metric). */
  onFailure?: (operation: 'get' | 'set') => void;
  /**
   * The first failure (of a get, a set or the connection), then at most one per
   * `logIntervalMs`, with the count of those not logged since.
   */
  onError?: (error: unknown, operation: 'get' | 'set' | 'connection', unlogged: number) => void;
  /** Default 10 s. */
  logIntervalMs?: number;
}

/**
 * A lookup waits at most this long for Redis. A healthy Redis answers in about a millisecond;
 * waiting longer only adds the outage to every request.
 */
const commandTimeoutMs = 500;

/**
 * The exact-response cache shared by every API node. Each entry is one string key with a TTL.
 * There is no entry cap here, unlike the embedded LRU: when memory runs short, Redis's own
 * `maxmemory-policy` evicts (use `volatile-lru` or `allkeys-lru` on an instance that holds the
 * cache; under the default `noeviction`, `set` fails with an OOM error once `maxmemory` is
 * reached). TTLs are Redis's too: an expired entry is never returned.
 *
 * A cache is an optimisation, so Redis being down or slow never fails a call: a failed `get`
 * is a miss and a failed `set` is skipped, each counted and logged (rate-limited). `delete`
 * still throws: an invalidation that did not happen must not be reported as done.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly options: RedisResponseCacheOptions;
  private lastLogAt = -Infinity;
  private unlogged = 0;

  constructor(options: RedisResponseCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
    this.options = options;
    // A client reconnecting every second or two reports each failed attempt: rate-limited too.
    if (options.onError) this.redis.on('error', (error: unknown) => this.log(error, 'connection'));
  }

  /**
   * A client for the cache alone that fails fast while Redis is unreachable: no offline queue
   * (a command fails at once instead of waiting for a reconnect) and a short command timeout
   * (for a Redis that accepts connections but does not answer). Counters and the event bus
   * keep their own clients, which wait for a reconnect instead.
   */
  static connect(url: string): Redis {
    return new Redis(url, { enableOfflineQueue: false, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 0, connectionName: 'breakwater:cache' });
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.failed(error, 'get');
      return undefined;
    }
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    try {
      // An entry that is already stale must not linger, nor keep an older value alive.
      if (!(ttlMs >= 1)) await this.redis.del(this.prefix + key);
      else await this.redis.set(this.prefix + key, value, 'PX', Math.ceil(ttlMs));
    } catch (error) {
      this.failed(error, 'set');
    }
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  private failed(error: unknown, operation: 'get' | 'set'): void {
    this.options.onFailure?.(operation);
    this.log(error, operation);
  }

  private log(error: unknown, operation: 'get' | 'set' | 'connection'): void {
    const now = performance.now();
    if (now - this.lastLogAt < (this.options.logIntervalMs ?? 10_000)) {
      this.unlogged++;
      return;
    }
    this.options.onError?.(error, operation, this.unlogged);
    this.lastLogAt = now;
    this.unlogged = 0;
  }
}
