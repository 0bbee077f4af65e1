import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import type { DeadLetter } from '../../../core/ports/queue.js';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';

/** The RabbitMQ queue's settings, its message and delivery shapes, and small pure helpers. */

export interface RabbitQueueOptions {
  url: string;
  /** Prefix of every queue and exchange, e.g. `breakwater.jobs`. */
  name: string;
  /** Unacknowledged deliveries per band consumer: claimed, buffered and locally held items. */
  prefetch: number;
  /** First retry delay (doubling, equal jitter) and the shortest delay queue. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  onError?: (error: unknown) => void;
  /** How long `claim` may wait for deliveries the broker reports as ready; default 250. */
  claimWaitMs?: number;
  /** How long `enqueue` (and other publishes) wait for a lost connection to return; default 5000. */
  unavailableAfterMs?: number;
  /**
   * The longest delay queue (base·2^k up to this); longer delays hop through it again. Every
   * delay queue is a quorum queue with its own Raft log, so keep the count modest; default
   * 600000 (ten buckets from a 1 s base).
   */
  longestDelayMs?: number;
  /** Shown by `rabbitmqctl list_connections client_properties` and the management UI. */
  connectionName?: string;
}

/** What a message carries: ids and counters, never the job's payload (the store holds it). */
export interface MessageBody {
  id: string;
  tenant: string;
  priority: number;
  deadline: number | null;
  maxAttempts: number;
  /** Attempts counted before this copy was published (fail() retries and lost leases). */
  attempt: number;
  /** Copies published before this one (retry, release, delay hop): the high part of the token. */
  generation: number;
  runAt: number;
}

export type Band = 'high' | 'normal' | 'low';
export const bands: readonly Band[] = ['high', 'normal', 'low'];
export const bandRank: Record<Band, number> = { high: 0, normal: 1, low: 2 };
/** x-delivery-count stays below maxAttempts (we dead-letter at it), so it fits the token's low part. */
export const generationSpan = 2 ** 20;
/** A hop lands this early at least, so TTL expiry latency never makes an item late. */
export const hopSlackMs = 50;
export const rememberedIds = 100_000;

export interface Link {
  epoch: number;
  connection: ChannelModel;
  publisher: ConfirmChannel;
  consumer: Channel;
  consumerTags: string[];
  lost: Promise<never>;
  /**
   * messageIds the broker returned as unroutable (basic.return, for a `mandatory` publish). The
   * return arrives before the publish's confirm, so its confirm callback finds the id here.
   */
  returned: Set<string>;
}

export interface Entry {
  body: MessageBody;
  message: ConsumeMessage;
  link: Link;
  band: Band;
  /** x-delivery-count: redeliveries after a nack or a lost consumer. */
  deliveries: number;
  seq: number;
  settled: boolean;
  hold?: NodeJS.Timeout;
}

export interface Lease {
  entry: Entry;
  token: number;
  attempt: number;
  leaseUntil: number;
  timer: NodeJS.Timeout;
}

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  headers?: Record<string, unknown>;
}

export function bandOf(priority: number): Band {
  return priority > 0 ? 'high' : priority < 0 ? 'low' : 'normal';
}

export function isPast(deadline: number | null, now: number): boolean {
  return deadline !== null && deadline <= now;
}

/** A bounded memory of ids: the oldest is forgotten first. */
export function remember(ids: Set<string>, id: string): void {
  ids.delete(id);
  ids.add(id);
  if (ids.size > rememberedIds) ids.delete(ids.values().next().value!);
}

export function unavailable(why: string, cause?: unknown): BreakwaterError {
  return new BreakwaterError('DEPENDENCY_UNAVAILABLE', `RabbitMQ (job dispatch) is unavailable (${why}); retry shortly, and check that the broker is running.`, {
    retryable: true,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** For operators: a publish the broker returned because no queue is bound for it. */
export function unroutableError(message: OutgoingMessage): Error {
  const where = `${message.exchange === '' ? 'the default exchange' : `exchange ${message.exchange}`} with routing key ${message.routingKey}`;
  return new Error(
    `RabbitMQ returned a message published to ${where}: no queue is bound for it. Breakwater declares its queues again and the publish is retried; check that nobody deletes or unbinds them.`,
  );
}

/** A message browsed from the dead-letter queue, with the reason its headers carry. */
export function toDeadLetter(message: Message): DeadLetter {
  const body = JSON.parse(message.content.toString()) as MessageBody;
  const headers = message.properties.headers ?? {};
  return {
    id: body.id,
    tenant: body.tenant,
    attempts: Number(headers['breakwater-attempts'] ?? body.attempt),
    reason: (headers['breakwater-reason'] as DeadLetter['reason'] | undefined) ?? 'failed',
    at: Number(headers['breakwater-at'] ?? 0),
  };
}
