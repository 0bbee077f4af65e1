import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { Counters } from '../core/ports/counters.js';
import type { JobEventBus } from '../core/ports/job-events.js';
import type { JobQueue } from '../core/ports/queue.js';
import type { ResponseCache } from '../core/ports/response-cache.js';
import type { Store } from '../core/ports/store.js';
import { MemoryResponseCache } from './cache/memory/memory-response-cache.js';
import { RedisResponseCache } from './cache/redis/redis-response-cache.js';
import { MemoryCounters } from './counters/memory/memory-counters.js';
import { RedisCounters } from './counters/redis/redis-counters.js';
import { counterConnectionOptions } from './counters/redis/redis-connection-options.js';
import { MemoryEventBus } from './events/memory/memory-event-bus.js';
import { RedisEventBus } from './events/redis/redis-event-bus.js';
import { RabbitQueue } from './queue/rabbitmq/rabbitmq-queue.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

/**
 * Opens the store the config names (migrations included). Used by the composition root and
 * by the CLI commands that only need keys or migrations.
 */
export async function openStore(config: ParsedConfig, env: NodeJS.ProcessEnv): Promise<Store> {
  const store = config.store;
  if (store.driver === 'sqlite') return SqliteStore.open(store.path, { backoffBaseMs: config.jobs.retryBaseMs, backoffMaxMs: config.jobs.retryMaxMs });
  return PostgresStore.open({ connectionString: resolveSecret(store.url, 'store.url', env), poolSize: store.poolSize, readPoolSize: store.readPoolSize });
}

/** Where the store lives, for log lines (never the URL: it may hold a password). */
export function describeStore(config: ParsedConfig): string {
  return config.store.driver === 'sqlite' ? config.store.path : 'postgres';
}

export interface Adapters {
  store: Store;
  queue: JobQueue;
  /** True when the queue is a broker fed from the store's outbox (needs a relay). */
  relayed: boolean;
  counters: Counters;
  cache: ResponseCache;
  /** Where the semantic cache keeps its answers: its own LRU in memory, the same Redis otherwise. */
  semanticPayloads: ResponseCache;
  bus: JobEventBus;
  close(): Promise<void>;
}

/** What the composition root wants to hear from the adapters (metrics live outside them). */
export interface AdapterHooks {
  /** A response-cache get or set failed and was treated as a miss or skipped. */
  onCacheFailure?: (operation: 'get' | 'set') => void;
}

/** Picks and opens every adapter from the validated config: the one place that knows them all. */
export async function openAdapters(config: ParsedConfig, env: NodeJS.ProcessEnv, logger: Logger, hooks: AdapterHooks = {}): Promise<Adapters> {
  const closers: Array<() => Promise<unknown>> = [];
  const onError = (what: string) => (error: unknown) => logger.error({ err: error }, what);
  try {
    const store = await openStore(config, env);
    closers.push(() => store.close());

    let queue: JobQueue;
    let relayed = false;
    if (config.queue.driver === 'sqlite') {
      if (!(store instanceof SqliteStore)) {
        throw new BreakwaterError(
          'CONFIG_INVALID',
          'queue.driver sqlite needs store.driver sqlite (the embedded queue is a table in that file); with a postgres store use queue.driver rabbitmq.',
        );
      }
      queue = store.queue;
    } else {
      if (store instanceof SqliteStore) {
        throw new BreakwaterError('CONFIG_INVALID', "queue.driver rabbitmq needs store.driver postgres (jobs reach the broker through the store's transactional outbox).");
      }
      queue = await RabbitQueue.open({
        url: resolveSecret(config.queue.url, 'queue.url', env),
        name: config.queue.name,
        prefetch: config.queue.prefetch ?? config.jobs.concurrency,
        backoffBaseMs: config.jobs.retryBaseMs,
        backoffMaxMs: config.jobs.retryMaxMs,
        onError: onError('rabbitmq queue'),
      });
      relayed = true;
    }
    closers.push(() => queue.close());

    const redisClients = new Map<string, Redis>();
    const redis = (url: string): Redis => {
      let client = redisClients.get(url);
      if (!client) {
        client = new Redis(url, counterConnectionOptions);
        client.on('error', onError('redis'));
        redisClients.set(url, client);
        closers.push(async () => client!.quit().catch(() => client!.disconnect()));
      }
      return client;
    };

    const counters: Counters =
      config.counters.driver === 'memory'
        ? new MemoryCounters()
        : new RedisCounters({ redis: redis(resolveSecret(config.counters.url, 'counters.url', env)), prefix: config.counters.prefix });

    let cache: ResponseCache;
    let semanticPayloads: ResponseCache;
    if (config.cache.driver === 'memory') {
      cache = new MemoryResponseCache(config.cache.exact.maxEntries);
      semanticPayloads = new MemoryResponseCache(config.cache.semantic.maxEntries);
    } else {
      if (!config.cache.url) throw new BreakwaterError('CONFIG_INVALID', 'cache.driver redis needs cache.url (a secret reference, e.g. { env: BREAKWATER_REDIS_URL }).');
      // Its own client, which fails fast while Redis is down: a cache lookup must not hold a request.
      const cacheClient = RedisResponseCache.connect(resolveSecret(config.cache.url, 'cache.url', env));
      closers.push(async () => cacheClient.quit().catch(() => cacheClient.disconnect()));
      cache = new RedisResponseCache({
        redis: cacheClient,
        prefix: `${config.cache.prefix}cache:`,
        ...(hooks.onCacheFailure ? { onFailure: hooks.onCacheFailure } : {}),
        onError: (error, operation, unlogged) =>
          logger.warn({ err: error, operation, unlogged }, 'Redis cache unavailable: calls go on without the cache (a miss, nothing stored) until it answers again'),
      });
      semanticPayloads = cache;
    }

    let bus: JobEventBus;
    if (config.events.driver === 'memory') bus = new MemoryEventBus();
    else {
      const redisBus = await RedisEventBus.open({
        url: resolveSecret(config.events.url, 'events.url', env),
        prefix: `${config.events.prefix}events:`,
        onError: onError('redis event bus'),
      });
      closers.push(() => redisBus.close());
      bus = redisBus;
    }

    return {
      store,
      queue,
      relayed,
      counters,
      cache,
      semanticPayloads,
      bus,
      async close() {
        for (const close of closers.reverse()) await close().catch(onError('closing an adapter'));
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => {});
    throw error;
  }
}
