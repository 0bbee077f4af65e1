import type { ConsumeMessage } from 'amqplib';
import { EventEmitter } from 'node:events';
import { backoffDelay } from '../../../core/routing/backoff.js';
import type { Claim, DeadLetter, EnqueueRequest, FailOutcome, JobQueue, QueueDepth } from '../../../core/ports/queue.js';
import {
  bandOf,
  bandRank,
  bands,
  generationSpan,
  hopSlackMs,
  isPast,
  remember,
  type Band,
  type Entry,
  type Lease,
  type Link,
  type MessageBody,
  type OutgoingMessage,
  type RabbitQueueOptions,
  toDeadLetter,
} from './rabbitmq-messages.js';
import { LinkKeeper, Topology } from './rabbitmq-link.js';
import { ConfirmedPublisher } from './rabbitmq-publisher.js';

export type { RabbitQueueOptions };

/**
 * The scale-out queue on RabbitMQ 3.10+: quorum queues, publisher confirms, manual acks.
 *
 * Topology: see `Topology` (rabbitmq-link.ts). Quorum queues have no message priorities in
 * 3.10, so priority is three band queues and `claim` prefers higher bands among the deliveries
 * this process holds (a band's backlog on the broker is not reordered). A delay is rounded
 * down to a delay bucket and the item hops again, or is held in memory for the last stretch
 * under `backoffBaseMs`: never handed out early, and a long delay never blocks a short one.
 * The connection is `LinkKeeper`'s (same file): it reconnects, and this class drops what a
 * lost link held.
 *
 * A claim is an unacknowledged delivery plus a local lease timer: when the lease expires the
 * delivery is nacked back, exactly what happens when a worker dies and its connection drops.
 * attempt = retries + x-delivery-count + 1; token = generation·2^20 + x-delivery-count + 1, and
 * every republish (retry, release, delay hop, close) bumps generation, so each later claim of
 * an item carries a larger token, on any node. Limits, by design of a broker:
 * - a lost connection counts one attempt for every delivery it held, claimed or only
 *   prefetched: keep `prefetch` near the worker's concurrency;
 * - enqueue de-duplicates ids only within this process; a duplicate copy from another node
 *   has an equal token and the store's `startJob` (token must grow) refuses it;
 * - `cancel` reaches only this process (see there); `recover` reports the dead letters this
 *   process produced; `depth().leased` and buffered items are this node's only.
 */
export class RabbitQueue implements JobQueue {
  /** Whether this process consumes (set by its first claim). */
  private consuming = false;
  private readonly wake = new EventEmitter();
  /** Queue and exchange names of this prefix, and the delay buckets. */
  private readonly names: Topology;
  private readonly buffer: Record<Band, Entry[]> = { high: [], normal: [], low: [] };
  private readonly unacked: Record<Band, number> = { high: 0, normal: 0, low: 0 };
  private readonly held = new Set<Entry>();
  private readonly leases = new Map<string, Lease>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly enqueued = new Set<string>();
  private readonly cancelled = new Set<string>();
  private deliveryWaiters: Array<() => void> = [];
  private pendingDead: DeadLetter[] = [];
  private seq = 0;
  /** Numbers this process's publishes, so a broker's basic.return names the one it refused. */
  private readyEmits = 0;
  private readonly keeper: LinkKeeper;
  private readonly publisher: ConfirmedPublisher;

  private constructor(private readonly options: RabbitQueueOptions) {
    this.wake.setMaxListeners(0);
    this.names = new Topology(options.name, options.backoffBaseMs, options.longestDelayMs ?? 600_000);
    this.keeper = new LinkKeeper(
      {
        url: options.url,
        connectionName: options.connectionName ?? `breakwater ${options.name} pid ${process.pid}`,
        prefetch: options.prefetch,
        topology: this.names,
        unavailableAfterMs: options.unavailableAfterMs ?? 5_000,
        report: (error) => this.report(error),
      },
      {
        onLink: async (link) => {
          if (this.consuming) await this.consume(link);
        },
        onLost: () => this.drop(),
      },
    );
    this.publisher = new ConfirmedPublisher({ keeper: this.keeper, topology: this.names, report: (error) => this.report(error), track: (promise) => this.track(promise) });
  }

  static async open(options: RabbitQueueOptions): Promise<RabbitQueue> {
    if (!(options.backoffBaseMs >= 1) || !(options.prefetch >= 1)) throw new RangeError('RabbitQueue: backoffBaseMs and prefetch must be at least 1.');
    const queue = new RabbitQueue(options);
    await queue.keeper.connect();
    return queue;
  }

  /** Every queue and exchange this prefix uses (for tests and operators tearing it down). */
  topology(): { queues: string[]; exchanges: string[] } {
    return this.names.names();
  }

  async enqueue(items: readonly EnqueueRequest[]): Promise<void> {
    const now = Date.now();
    const seen = new Set<string>();
    const fresh = items.filter((item) => !this.enqueued.has(item.id) && !seen.has(item.id) && seen.add(item.id));
    if (fresh.length === 0) return;
    const emitsBefore = this.readyEmits;
    await this.publisher.publish(
      fresh.map((item) =>
        this.routed({
          id: item.id,
          tenant: item.tenant,
          priority: item.priority ?? 0,
          deadline: item.deadline ?? null,
          maxAttempts: item.maxAttempts,
          attempt: 0,
          generation: 0,
          runAt: item.runAt ?? now,
        }),
      ),
    );
    for (const item of fresh) remember(this.enqueued, item.id);
    // A local wake-up unless a delivery already gave one while the confirms came back.
    if (this.readyEmits === emitsBefore) this.emitReady();
  }

  async claim(max: number, leaseMs: number): Promise<Claim[]> {
    const claims: Array<Claim & { rank: number; seq: number }> = [];
    if (max <= 0) return claims;
    if (!this.consuming) {
      // Consumers start with the first claim: a process that only publishes (an API node)
      // never holds prefetched deliveries that a worker should have.
      this.consuming = true;
      if (this.keeper.current) await this.consume(this.keeper.current);
    }
    const until = Date.now() + (this.options.claimWaitMs ?? 250);
    for (;;) {
      this.promoteDue();
      const link = this.keeper.current;
      if (!link || this.buffered() >= max - claims.length) {
        this.take(max, leaseMs, claims);
        break;
      }
      // A round trip on the consumer channel: deliveries the broker sent before its answer
      // arrive first, and its ready counts say whether more are on the way.
      let ready: Record<Band, number>;
      try {
        ready = await this.brokerReady(link);
      } catch {
        ready = { high: 0, normal: 0, low: 0 };
      }
      this.promoteDue();
      this.take(max, leaseMs, claims);
      const coming = bands.some((band) => ready[band] > 0 && this.unacked[band] < this.options.prefetch);
      if (claims.length >= max || !coming || Date.now() >= until || this.keeper.current !== link) break;
      await this.nextDelivery(until);
    }
    claims.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
    return claims.map(({ rank: _rank, seq: _seq, ...claim }) => claim);
  }

  async heartbeat(claim: Claim, leaseMs: number): Promise<number | undefined> {
    const lease = this.leaseOf(claim);
    if (!lease) return undefined;
    clearTimeout(lease.timer);
    lease.leaseUntil = Date.now() + leaseMs;
    lease.timer = this.leaseTimer(lease, leaseMs);
    return lease.leaseUntil;
  }

  async complete(claim: Claim): Promise<boolean> {
    const lease = this.endLease(claim);
    return lease !== undefined && this.settle(lease.entry, 'ack');
  }

  async fail(claim: Claim, options: { retryable: boolean; delayMs?: number }): Promise<FailOutcome> {
    const lease = this.endLease(claim);
    if (!lease) return { outcome: 'fenced' };
    const { entry, attempt } = lease;
    const now = Date.now();
    const retryAt = now + (options.delayMs ?? backoffDelay(attempt - 1, this.options.backoffBaseMs, this.options.backoffMaxMs));
    const pastDeadline = entry.body.deadline !== null && retryAt >= entry.body.deadline;
    try {
      if (!options.retryable || attempt >= entry.body.maxAttempts || pastDeadline) {
        const reason = !options.retryable ? 'failed' : pastDeadline ? 'deadline' : 'attempts';
        await this.publisher.publish([this.deadMessage(entry.body, { id: claim.id, tenant: claim.tenant, attempts: attempt, reason, at: now })]);
        this.settle(entry, 'ack');
        return { outcome: 'dead' };
      }
      await this.publisher.publish([this.routed({ ...entry.body, attempt, generation: entry.body.generation + 1, runAt: retryAt })]);
      this.settle(entry, 'ack');
      return { outcome: 'retry', retryAt };
    } catch (error) {
      // Unconfirmed: the broker still has the original; it comes back as a lost lease would.
      this.settle(entry, 'nack');
      throw error;
    }
  }

  /**
   * Gives the item back as a new copy with the same attempt count (then acks the old one), at
   * the back of its band: a plain requeue would raise x-delivery-count, which every node
   * reads as an attempt.
   */
  async release(claim: Claim): Promise<boolean> {
    const lease = this.endLease(claim);
    if (!lease) return false;
    await this.republish(lease.entry, lease.attempt - 1, Date.now());
    return true;
  }

  /**
   * Best effort, this process only: a broker cannot take a message out of the middle of a
   * queue. True when this process held the item (claimed — the claim is fenced — buffered or
   * held for its delay) and dropped it; false otherwise, and the id is remembered so the item
   * is dropped if it ever reaches this process. Items on the broker or on other nodes are
   * dropped by the worker that claims them, when the store says the job has ended.
   */
  async cancel(id: string): Promise<boolean> {
    remember(this.cancelled, id);
    const lease = this.leases.get(id);
    if (lease) {
      this.leases.delete(id);
      clearTimeout(lease.timer);
      return this.settle(lease.entry, 'ack');
    }
    for (const band of bands) {
      const index = this.buffer[band].findIndex((entry) => entry.body.id === id);
      if (index >= 0) return this.settle(this.buffer[band].splice(index, 1)[0]!, 'ack');
    }
    for (const entry of this.held) {
      if (entry.body.id !== id) continue;
      clearTimeout(entry.hold);
      this.held.delete(entry);
      return this.settle(entry, 'ack');
    }
    return false;
  }

  /**
   * Expires overdue leases, dead-letters buffered items past their deadline, and returns the
   * dead letters this process produced since the last call: items redelivered with
   * x-delivery-count at maxAttempts (their lease expired on the last attempt, or the worker
   * holding them kept dying) and items that reached it past their deadline.
   */
  async recover(): Promise<DeadLetter[]> {
    const now = Date.now();
    for (const lease of [...this.leases.values()]) if (lease.leaseUntil <= now) this.expire(lease);
    const link = this.keeper.current;
    if (link) await this.brokerReady(link).catch((error: unknown) => this.report(error));
    this.promoteDue();
    for (const band of bands) {
      for (const entry of this.buffer[band].filter((candidate) => isPast(candidate.body.deadline, now))) {
        this.buffer[band].splice(this.buffer[band].indexOf(entry), 1);
        this.deadLetterLater(entry, 'deadline');
      }
    }
    await Promise.all([...this.inflight]);
    const dead = this.pendingDead;
    this.pendingDead = [];
    return dead;
  }

  /** The oldest `limit` dead letters (browsed: read unacknowledged, then handed back). */
  async deadLetters(limit: number): Promise<DeadLetter[]> {
    const link = await this.keeper.linked();
    const channel = await link.connection.createChannel();
    channel.on('error', (error: unknown) => this.report(error));
    const letters: DeadLetter[] = [];
    try {
      for (let index = 0; index < limit; index++) {
        const message = await channel.get(`${this.options.name}.dead`, { noAck: false });
        if (message === false) break;
        letters.push(toDeadLetter(message));
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
    return letters;
  }

  /**
   * ready = band queues' ready messages + what this node has buffered; delayed = delay queues +
   * what this node holds for its last stretch; leased = this node's claims only (other nodes'
   * claims and buffers are unacknowledged messages the broker does not break down); dead = DLQ.
   */
  async depth(): Promise<QueueDepth> {
    const link = await this.keeper.linked();
    const count = async (queue: string) => (await link.publisher.checkQueue(queue)).messageCount;
    const { name } = this.options;
    let ready = this.buffered();
    for (const band of bands) ready += await count(this.bandQueue(band));
    let delayed = this.held.size;
    for (const ms of this.names.buckets) delayed += await count(`${name}.delay.${ms}`);
    return { ready, delayed, leased: this.leases.size, dead: await count(`${name}.dead`) };
  }

  onReady(listener: () => void): () => void {
    this.wake.on('ready', listener);
    return () => this.wake.off('ready', listener);
  }

  /**
   * Hands buffered and held items back as new copies (so closing does not count an attempt),
   * then closes the connection; claims still open are redelivered as after a crash.
   */
  async close(): Promise<void> {
    if (this.keeper.closed) return;
    this.keeper.close();
    this.wake.removeAllListeners();
    const link = this.keeper.current;
    if (!link) return;
    try {
      for (const tag of link.consumerTags) await link.consumer.cancel(tag);
      const idle = [...bands.flatMap((band) => this.buffer[band].splice(0)), ...this.held];
      for (const entry of this.held) clearTimeout(entry.hold);
      this.held.clear();
      await Promise.all([...this.inflight, ...idle.map((entry) => this.republish(entry, entry.body.attempt + entry.deliveries, entry.body.runAt))]);
      // amqplib may write connection.close ahead of acks still queued on a channel: closing the
      // channel first (a round trip behind those acks) makes the broker process them.
      await link.consumer.close();
    } catch (error) {
      this.report(error);
    }
    this.keeper.forget(link);
    await link.connection.close().catch(() => undefined);
  }

  // ── connection ────────────────────────────────────────────────────────────────────────

  private async consume(link: Link): Promise<void> {
    for (const band of bands) {
      const { consumerTag } = await link.consumer.consume(this.bandQueue(band), (message) => this.onDelivery(link, band, message), { noAck: false });
      link.consumerTags.push(consumerTag);
    }
  }

  /** The link was lost or is closing: the broker redelivers what it held, so drop it all and fence the claims. */
  private drop(): void {
    for (const lease of this.leases.values()) clearTimeout(lease.timer);
    for (const entry of this.held) clearTimeout(entry.hold);
    this.leases.clear();
    this.held.clear();
    for (const band of bands) {
      this.buffer[band] = [];
      this.unacked[band] = 0;
    }
  }

  // ── deliveries ────────────────────────────────────────────────────────────────────────

  private onDelivery(link: Link, band: Band, message: ConsumeMessage | null): void {
    if (this.keeper.current !== link) return;
    if (message === null) {
      // The broker cancelled the consumer (queue deleted or moved): start over.
      this.report(new Error(`RabbitMQ cancelled the consumer of ${this.bandQueue(band)}`));
      this.keeper.lost(link);
      return;
    }
    this.unacked[band]++;
    let body: MessageBody;
    try {
      body = JSON.parse(message.content.toString()) as MessageBody;
    } catch (error) {
      this.report(error);
      link.consumer.ack(message);
      this.unacked[band]--;
      return;
    }
    const deliveries = Number(message.properties.headers?.['x-delivery-count'] ?? 0);
    const entry: Entry = { body, message, link, band, deliveries, seq: ++this.seq, settled: false };
    const now = Date.now();
    if (this.cancelled.has(body.id)) this.settle(entry, 'ack');
    else if (body.attempt + deliveries >= body.maxAttempts) this.deadLetterLater(entry, 'attempts');
    else if (isPast(body.deadline, now)) this.deadLetterLater(entry, 'deadline');
    else this.schedule(entry, now);
    const waiters = this.deliveryWaiters;
    this.deliveryWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Ready now → buffer; due within a bucket → hold in memory; later → hop to a delay queue. */
  private schedule(entry: Entry, now: number): void {
    const wait = Math.min(entry.body.runAt, entry.body.deadline ?? Infinity) - now;
    if (wait <= 0) {
      const wasEmpty = this.buffered() === 0;
      this.buffer[entry.band].push(entry);
      if (wasEmpty) this.emitReady();
    } else if (this.bucketFor(wait) !== undefined) {
      this.track(this.republish(entry, entry.body.attempt + entry.deliveries, entry.body.runAt));
    } else {
      this.held.add(entry);
      entry.hold = setTimeout(() => {
        this.held.delete(entry);
        if (isPast(entry.body.deadline, Date.now())) this.deadLetterLater(entry, 'deadline');
        else this.schedule(entry, Date.now());
      }, wait);
    }
  }

  private promoteDue(): void {
    const now = Date.now();
    for (const entry of this.held) {
      if (Math.min(entry.body.runAt, entry.body.deadline ?? Infinity) > now) continue;
      clearTimeout(entry.hold);
      this.held.delete(entry);
      if (isPast(entry.body.deadline, now)) this.deadLetterLater(entry, 'deadline');
      else this.schedule(entry, now);
    }
  }

  private take(max: number, leaseMs: number, claims: Array<Claim & { rank: number; seq: number }>): void {
    const now = Date.now();
    for (const band of bands) {
      const list = this.buffer[band];
      while (claims.length < max && list.length > 0) {
        const entry = list.shift()!;
        const { body, deliveries } = entry;
        if (this.cancelled.has(body.id) || this.leases.has(body.id)) {
          // Cancelled here, or a duplicate copy of an item this node is running.
          this.settle(entry, 'ack');
          continue;
        }
        if (isPast(body.deadline, now)) {
          this.deadLetterLater(entry, 'deadline');
          continue;
        }
        const lease: Lease = {
          entry,
          token: body.generation * generationSpan + deliveries + 1,
          attempt: body.attempt + deliveries + 1,
          leaseUntil: now + leaseMs,
          timer: undefined as unknown as NodeJS.Timeout,
        };
        lease.timer = this.leaseTimer(lease, leaseMs);
        this.leases.set(body.id, lease);
        const { id, tenant, maxAttempts, deadline } = body;
        claims.push({ id, tenant, attempt: lease.attempt, maxAttempts, token: lease.token, leaseUntil: lease.leaseUntil, deadline, rank: bandRank[band], seq: entry.seq });
      }
    }
  }

  private leaseTimer(lease: Lease, ms: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(lease), ms);
  }

  /** A lease that ran out: nack it back, as the broker would for a worker that died. */
  private expire(lease: Lease): void {
    if (this.leases.get(lease.entry.body.id) !== lease) return;
    this.leases.delete(lease.entry.body.id);
    clearTimeout(lease.timer);
    this.settle(lease.entry, 'nack');
  }

  private leaseOf(claim: Claim): Lease | undefined {
    const lease = this.leases.get(claim.id);
    return lease && lease.token === claim.token && !lease.entry.settled ? lease : undefined;
  }

  private endLease(claim: Claim): Lease | undefined {
    const lease = this.leaseOf(claim);
    if (!lease) return undefined;
    this.leases.delete(claim.id);
    clearTimeout(lease.timer);
    return lease;
  }

  /** Acks or requeues once, on the channel that delivered it; false when that channel is gone. */
  private settle(entry: Entry, how: 'ack' | 'nack'): boolean {
    if (entry.settled || this.keeper.current !== entry.link) return false;
    entry.settled = true;
    this.unacked[entry.band]--;
    try {
      if (how === 'ack') entry.link.consumer.ack(entry.message);
      else entry.link.consumer.nack(entry.message, false, true);
      return true;
    } catch (error) {
      this.report(error);
      return false;
    }
  }

  /** A new copy (next generation) with `attempt` attempts counted, then the old one acked. */
  private async republish(entry: Entry, attempt: number, runAt: number): Promise<void> {
    try {
      await this.publisher.publish([this.routed({ ...entry.body, attempt, generation: entry.body.generation + 1, runAt })]);
      this.settle(entry, 'ack');
    } catch (error) {
      this.report(error);
      this.settle(entry, 'nack');
    }
  }

  private deadLetterLater(entry: Entry, reason: 'attempts' | 'deadline'): void {
    const letter: DeadLetter = { id: entry.body.id, tenant: entry.body.tenant, attempts: entry.body.attempt + entry.deliveries, reason, at: Date.now() };
    this.track(
      this.publisher.publish([this.deadMessage(entry.body, letter)]).then(
        () => {
          if (this.settle(entry, 'ack')) this.pendingDead.push(letter);
        },
        (error: unknown) => {
          this.report(error);
          this.settle(entry, 'nack');
        },
      ),
    );
  }

  private track(promise: Promise<unknown>): void {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }

  // ── publishing ────────────────────────────────────────────────────────────────────────

  private routed(body: MessageBody): OutgoingMessage {
    const queue = this.bandQueue(bandOf(body.priority));
    const bucket = this.bucketFor(Math.min(body.runAt, body.deadline ?? Infinity) - Date.now());
    const content = Buffer.from(JSON.stringify(body));
    return bucket === undefined
      ? { exchange: '', routingKey: queue, content }
      : { exchange: `${this.options.name}.delay`, routingKey: queue, content, headers: { 'breakwater-delay': String(bucket) } };
  }

  private deadMessage(body: MessageBody, letter: DeadLetter): OutgoingMessage {
    return {
      exchange: '',
      routingKey: `${this.options.name}.dead`,
      content: Buffer.from(JSON.stringify(body)),
      headers: { 'breakwater-reason': letter.reason, 'breakwater-attempts': letter.attempts, 'breakwater-at': letter.at },
    };
  }

  /** The largest delay bucket that still lands `hopSlackMs` before the wait is over. */
  private bucketFor(wait: number): number | undefined {
    let chosen: number | undefined;
    for (const ms of this.names.buckets) if (ms + hopSlackMs <= wait) chosen = ms;
    return chosen;
  }

  private async brokerReady(link: Link): Promise<Record<Band, number>> {
    const ready = { high: 0, normal: 0, low: 0 };
    for (const band of bands) ready[band] = (await link.consumer.checkQueue(this.bandQueue(band))).messageCount;
    return ready;
  }

  private nextDelivery(until: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, Math.min(20, until - Date.now())));
      this.deliveryWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private buffered(): number {
    return this.buffer.high.length + this.buffer.normal.length + this.buffer.low.length;
  }

  private bandQueue(band: Band): string {
    return this.names.bandQueue(band);
  }

  private emitReady(): void {
    this.readyEmits++;
    this.wake.emit('ready');
  }

  private report(error: unknown): void {
    this.options.onError?.(error);
  }
}
