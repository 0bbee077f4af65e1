import type { Redis } from 'ioredis';
import type { ResponseCache } from '../../../core/ports/response-cache.js';

export interface RedisResponseCacheOptions {
  /** A connected client; the composition root owns it (and quits it) — it may be shared. */
  redis: Redis;
  /** Put before every key, e.g. `bw:cache:`. */
  prefix: string;
}

/**
 * The exact-response cache shared by every API node. Each entry is one string key with a TTL.
 * There is no entry cap here, unlike the embedded LRU: when memory runs short, Redis's own
 * `maxmemory-policy` evicts (use `volatile-lru` or `allkeys-lru` on an instance that holds the
 * cache; under the default `noeviction`, `set` fails with an OOM error once `maxmemory` is
 * reached). TTLs are Redis's too: an expired entry is never returned.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisResponseCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    // An entry that is already stale must not linger, nor keep an older value alive.
    if (!(ttlMs >= 1)) {
      await this.redis.del(this.prefix + key);
      return;
    }
    await this.redis.set(this.prefix + key, value, 'PX', Math.ceil(ttlMs));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
