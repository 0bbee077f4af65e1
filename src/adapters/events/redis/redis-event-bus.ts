import { Redis } from 'ioredis';
import type { JobEventBus } from '../../../core/ports/job-events.js';
import type { JobEvent } from '../../../core/ports/job-store.js';

type Listener = (event: JobEvent) => void;

export interface RedisEventBusOptions {
  url: string;
  /** Put before every channel name, e.g. `bw:events:`. */
  prefix: string;
  /** Names the two connections `<name>:publisher` and `<name>:subscriber` in CLIENT LIST. */
  name?: string;
  /**
   * Receives publish, subscribe, connection and listener errors. None is fatal: the store is
   * the source of truth and followers read it again every second.
   */
  onError?: (error: Error) => void;
}

/**
 * Job events across nodes over Redis pub/sub, one channel per job (`<prefix>job:<id>`),
 * subscribed while this node has at least one listener for the job.
 *
 * Why a channel per job rather than one channel filtered locally: Redis sends a node only the
 * events of jobs it follows, so a node's traffic and JSON parsing grow with the jobs it
 * follows, not with every event of the whole fleet (with one channel, each of N nodes would
 * receive and parse all events). Redis looks a channel up in a hash table, so thousands of
 * channels on one connection cost one SUBSCRIBE/UNSUBSCRIBE each and nothing per message.
 *
 * Two connections, because a subscribed connection can do nothing else. The subscriber waits
 * through outages (its SUBSCRIBEs queue, and ioredis re-subscribes every channel after a
 * reconnect); the publisher does not queue while disconnected, so an outage drops events
 * instead of piling them up — followers catch up from the store.
 */
export class RedisEventBus implements JobEventBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Publishes that failed since the publisher was last connected. */
  private failedPublishes = 0;

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly onError: (error: Error) => void,
  ) {
    subscriber.on('message', (channel: string, message: string) => this.deliver(channel, message));
    publisher.on('ready', () => (this.failedPublishes = 0));
  }

  static async open(options: RedisEventBusOptions): Promise<RedisEventBus> {
    const onError = options.onError ?? (() => {});
    const name = options.name ?? 'breakwater-events';
    const publisher = new Redis(options.url, { lazyConnect: true, enableOfflineQueue: false, connectionName: `${name}:publisher` });
    const subscriber = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null, connectionName: `${name}:subscriber` });
    // ioredis reports an 'error' event with no listener on stderr; route them to onError.
    publisher.on('error', onError);
    subscriber.on('error', onError);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      throw error;
    }
    return new RedisEventBus(publisher, subscriber, options.prefix, onError);
  }

  publish(event: JobEvent): void {
    this.publisher.publish(this.channelOf(event.jobId), JSON.stringify(event)).catch((error: unknown) => this.publishFailed(error));
  }

  subscribe(jobId: string, listener: Listener): () => void {
    const channel = this.channelOf(jobId);
    let listeners = this.listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(channel, listeners);
      this.track(this.subscriber.subscribe(channel));
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(channel) === listeners) {
        this.listeners.delete(channel);
        this.track(this.subscriber.unsubscribe(channel));
      }
    };
  }

  /**
   * Resolves once every SUBSCRIBE and UNSUBSCRIBE sent so far has been answered, i.e. events
   * published from now on reach this node's listeners. Subscribing never waits for it: a
   * follower reads the store right after subscribing, so an event published meanwhile is not lost.
   */
  async subscriptionsSettled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  /**
   * While Redis is down every job event fails to publish: a busy worker logged hundreds of
   * identical lines a second. The first failure of each outage is reported, the rest dropped
   * quietly (followers catch up from the store) until the publisher is connected again.
   */
  private publishFailed(error: unknown): void {
    if (this.failedPublishes++ > 0) return;
    this.onError(
      new Error('Publishing job events to Redis fails; followers read them from the store until Redis answers again (further failures are not reported until then).', {
        cause: error,
      }),
    );
  }

  private channelOf(jobId: string): string {
    return `${this.prefix}job:${jobId}`;
  }

  private track(command: Promise<unknown>): void {
    const settled = command.catch(this.onError).finally(() => this.pending.delete(settled));
    this.pending.add(settled);
  }

  private deliver(channel: string, message: string): void {
    const listeners = this.listeners.get(channel);
    if (!listeners) return;
    let event: JobEvent;
    try {
      event = JSON.parse(message) as JobEvent;
    } catch (error) {
      this.onError(new Error(`Unreadable job event on ${channel}`, { cause: error }));
      return;
    }
    for (const listener of [...listeners]) {
      // A throwing listener must not starve the others, nor reach ioredis's reply parser.
      try {
        listener(event);
      } catch (error) {
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** QUIT, or drop the socket when the server is unreachable (QUIT would wait for it). */
async function quit(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
