import amqp from 'amqplib';
import type { Channel, ChannelModel, Message } from 'amqplib';
import { backoffDelay } from '../../../core/routing/backoff.js';
import { bands, unavailable, type Band, type Link } from './rabbitmq-messages.js';

/**
 * The queues and exchanges of one queue prefix `p`: band queues `p.high`, `p` and `p.low`,
 * delay queues `p.delay.<ms>` (base·2^k up to the longest delay) dead-lettering through
 * `p.ready` back to the item's band, reached through headers exchange `p.delay`, and `p.dead`.
 */
export class Topology {
  /** Delay bucket lengths in ms, shortest first. */
  readonly buckets: number[] = [];

  constructor(
    readonly name: string,
    backoffBaseMs: number,
    longestDelayMs: number,
  ) {
    for (let ms = backoffBaseMs; ms <= longestDelayMs; ms *= 2) this.buckets.push(ms);
  }

  bandQueue(band: Band): string {
    return band === 'normal' ? this.name : `${this.name}.${band}`;
  }

  names(): { queues: string[]; exchanges: string[] } {
    const { name } = this;
    return {
      queues: [...bands.map((band) => this.bandQueue(band)), ...this.buckets.map((ms) => `${name}.delay.${ms}`), `${name}.dead`],
      exchanges: [`${name}.ready`, `${name}.delay`],
    };
  }

  /** Declares everything idempotently (at every connect): durable quorum queues. */
  async declare(channel: Channel): Promise<void> {
    const { name } = this;
    await channel.assertExchange(`${name}.ready`, 'direct', { durable: true });
    await channel.assertExchange(`${name}.delay`, 'headers', { durable: true });
    for (const band of bands) {
      const queue = this.bandQueue(band);
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await channel.bindQueue(queue, `${name}.ready`, queue);
    }
    for (const ms of this.buckets) {
      const queue = `${name}.delay.${ms}`;
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-message-ttl': ms,
          'x-dead-letter-exchange': `${name}.ready`,
          'x-dead-letter-strategy': 'at-least-once',
          'x-overflow': 'reject-publish',
        },
      });
      await channel.bindQueue(queue, `${name}.delay`, '', { 'x-match': 'all', 'breakwater-delay': String(ms) });
    }
    await channel.assertQueue(`${name}.dead`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  }
}

export interface LinkOptions {
  url: string;
  connectionName: string;
  prefetch: number;
  topology: Topology;
  /** Connection and channel errors: reported, never thrown (an 'error' event must not crash the process). */
  report(error: unknown): void;
  /** The connection or a channel closed; `closing` says whether the queue itself is closing. */
  onLost(link: Link): void;
  closing(): boolean;
}

export interface LinkEvents {
  /** A new link is up, before anyone waiting for it is woken (start consuming here). */
  onLink(link: Link): Promise<void>;
  /** The current link was lost: everything its channels held is void (the broker redelivers it). */
  onLost(link: Link): void;
}

/**
 * Keeps one link up: opens it, notices its loss, reconnects with capped exponential backoff
 * until it is back or the queue closes, and lets callers wait a bounded time for it.
 */
export class LinkKeeper {
  current: Link | undefined;
  closed = false;
  private epoch = 0;
  private reconnecting = false;
  private stopWaiting: (() => void) | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly options: Omit<LinkOptions, 'onLost' | 'closing'> & { unavailableAfterMs: number },
    private readonly events: LinkEvents,
  ) {}

  async connect(): Promise<void> {
    const epoch = ++this.epoch;
    const link = await openLink({ ...this.options, onLost: (lost) => this.lost(lost), closing: () => this.closed }, epoch);
    try {
      if (this.closed) throw new Error('RabbitQueue closed while connecting');
      this.current = link;
      await withinDeadline(link.connection, this.events.onLink(link), 'starting consumers');
      for (const resolve of this.waiters) resolve();
      this.waiters.clear();
    } catch (error) {
      if (this.current?.epoch === epoch) this.current = undefined;
      await closeConnection(link.connection);
      throw error;
    }
  }

  /** The link, waiting up to `unavailableAfterMs` for a reconnect; QUEUE_UNAVAILABLE after. */
  async linked(): Promise<Link> {
    if (this.current) return this.current;
    if (this.closed) throw unavailable('the queue is closed');
    const waitMs = this.options.unavailableAfterMs;
    let timer: NodeJS.Timeout | undefined;
    let waiter: (() => void) | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = resolve;
        this.waiters.add(resolve);
        timer = setTimeout(() => reject(unavailable(`no connection for ${waitMs} ms`)), waitMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.waiters.delete(waiter);
    }
    if (!this.current) throw unavailable('the connection dropped again');
    return this.current;
  }

  /** Forgets a link (lost, or closing): the queue drops what it held. */
  forget(link: Link): void {
    if (this.current === link) this.current = undefined;
    this.events.onLost(link);
  }

  /** Stops reconnecting; the caller closes the last link. */
  close(): void {
    this.closed = true;
    this.stopWaiting?.();
  }

  /** Treats the link as lost (it closed, or the broker cancelled a consumer): forget, close, reconnect. */
  lost(link: Link): void {
    if (this.current !== link) return;
    this.forget(link);
    void closeConnection(link.connection);
    if (!this.closed) void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    for (let attempt = 0; !this.closed && !this.current; attempt++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, backoffDelay(Math.min(attempt, 6), 100, 5_000));
        this.stopWaiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.closed) break;
      try {
        await this.connect();
      } catch (error) {
        this.options.report(error);
      }
    }
    this.reconnecting = false;
  }
}

/**
 * One connection with a confirm channel for publishing and a channel for consuming, the
 * topology declared and the prefetch set. A failure on the way closes the connection.
 */
export async function openLink(options: LinkOptions, epoch: number): Promise<Link> {
  // `timeout` bounds the TCP connect and the AMQP handshake (amqplib has no other deadline).
  const connection = await amqp.connect(options.url, { clientProperties: { connection_name: options.connectionName }, timeout: brokerDeadlineMs });
  let markLost: (error: Error) => void = () => undefined;
  const lost = new Promise<never>((_resolve, reject) => (markLost = reject));
  lost.catch(() => undefined);
  connection.on('error', (error: unknown) => options.report(error));
  try {
    // Each channel is heard from the moment it exists: an 'error' event nobody listens to ends the process.
    const report = (error: unknown) => options.report(error);
    const publisher = await connection.createConfirmChannel();
    publisher.on('error', report);
    const consumer = await connection.createChannel();
    consumer.on('error', report);
    const link: Link = { epoch, connection, publisher, consumer, consumerTags: [], lost, returned: new Set() };
    publisher.on('return', (message: Message) => {
      if (typeof message.properties.messageId === 'string') link.returned.add(message.properties.messageId);
    });
    const onLost = () => {
      markLost(new Error('RabbitMQ connection lost'));
      options.onLost(link);
    };
    connection.on('close', (error?: Error) => {
      if (error && !options.closing()) options.report(error);
      onLost();
    });
    for (const channel of [publisher, consumer]) channel.on('close', onLost);
    await withinDeadline(
      connection,
      (async () => {
        await options.topology.declare(publisher);
        await consumer.prefetch(options.prefetch);
      })(),
      'declaring the queues',
    );
    return link;
  } catch (error) {
    await closeConnection(connection);
    throw error;
  }
}

/**
 * How long one step of opening a link (handshake, topology, consumers) or closing one may take.
 * A broker that is stopping or booting can hold a socket open and answer nothing; amqplib then
 * waits forever, and so did the reconnect loop waiting on it: a worker stayed without a
 * consumer after a broker restart while jobs piled up in its queue (the fault suite saw it).
 */
const brokerDeadlineMs = 10_000;

/**
 * Awaits `work` on `connection`; past the deadline its socket is dropped with an error, which
 * makes amqplib fail every call still waiting on that connection (and report it closed).
 */
async function withinDeadline<T>(connection: ChannelModel, work: Promise<T>, what: string): Promise<T> {
  const timer = setTimeout(() => dropSocket(connection, new Error(`RabbitMQ did not answer within ${brokerDeadlineMs} ms while ${what}`)), brokerDeadlineMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** Closes politely when the broker answers in time, else drops the socket. Never throws. */
async function closeConnection(connection: ChannelModel): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = connection.close().then(
    () => true,
    () => true,
  );
  const waited = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), brokerDeadlineMs)));
  const answered = await Promise.race([closed, waited]);
  clearTimeout(timer);
  if (!answered) dropSocket(connection, new Error('RabbitMQ did not confirm closing the connection'));
}

/** amqplib keeps the socket as `connection.stream` (not in its types); destroying it ends the connection at once. */
function dropSocket(connection: ChannelModel, reason: Error): void {
  const socket = (connection.connection as unknown as { stream?: { destroyed?: boolean; destroy(error?: Error): void } }).stream;
  if (socket && !socket.destroyed) socket.destroy(reason);
}
