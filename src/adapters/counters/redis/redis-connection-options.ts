import type { RedisOptions } from 'ioredis';

/**
 * Connection options of the Redis client that holds rate-limit and budget counters.
 *
 * A request waits on these counters before it may reach a model, so while Redis is down a
 * request must be refused quickly (DEPENDENCY_UNAVAILABLE, 503) rather than wait for the
 * outage to end, and service must come back by itself soon after Redis does:
 * - a command made while disconnected waits in the offline queue for one reconnect attempt
 *   (`maxRetriesPerRequest: 1`) and then fails;
 * - reconnect attempts come every 50·n ms, at most every 500 ms (ioredis' default grows to
 *   2 s, which made every refused request wait up to 2 s and delayed recovery as long);
 * - a command the server accepted but never answered fails after 5 s instead of hanging the
 *   request (a stalled or overloaded server).
 */
export const counterConnectionOptions: RedisOptions = {
  lazyConnect: false,
  enableOfflineQueue: true,
  maxRetriesPerRequest: 1,
  retryStrategy: (attempt) => Math.min(attempt * 50, 500),
  commandTimeout: 5_000,
};
