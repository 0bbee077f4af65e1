import type { LinkKeeper, Topology } from './rabbitmq-link.js';
import { unavailable, unroutableError, type Link, type OutgoingMessage } from './rabbitmq-messages.js';

/**
 * Publishes with confirms on the queue's link. Kept apart from the queue's lease and claim
 * bookkeeping: this is the one place that speaks to the broker's publisher channel, and the
 * one that repairs the topology when the broker returns a message.
 */
export class ConfirmedPublisher {
  private published = 0;
  private redeclaring: Promise<void> | undefined;

  constructor(
    private readonly parts: {
      keeper: LinkKeeper;
      topology: Topology;
      report(error: unknown): void;
      /** Work the queue's close waits for. */
      track(promise: Promise<unknown>): void;
    },
  ) {}

  /**
   * Resolves once the broker confirmed every message; a retryable error otherwise. Publishes
   * are `mandatory`: a message no queue would take (a queue deleted or unbound under us) comes
   * back as basic.return and fails the publish, instead of being confirmed and dropped; the
   * caller keeps its copy (the outbox row stays unsent, a retry nacks the original back).
   */
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const link = await this.parts.keeper.linked();
    const confirms = messages.map(
      (message) =>
        new Promise<void>((resolve, reject) => {
          const messageId = `${process.pid}-${++this.published}`;
          try {
            link.publisher.publish(
              message.exchange,
              message.routingKey,
              message.content,
              { persistent: true, mandatory: true, messageId, contentType: 'application/json', headers: message.headers },
              (error: unknown) => {
                if (error) return reject(error);
                if (!link.returned.delete(messageId)) return resolve();
                const unroutable = unroutableError(message);
                this.parts.report(unroutable);
                this.redeclare(link);
                reject(unavailable('a message could not be routed to a queue', unroutable));
              },
            );
          } catch (error) {
            reject(error);
          }
        }),
    );
    try {
      await Promise.race([Promise.all(confirms), link.lost]);
    } catch (error) {
      confirms.forEach((confirm) => confirm.catch(() => undefined));
      throw unavailable('the broker did not confirm the messages', error);
    }
  }

  /**
   * Declares the topology again (once at a time) after the broker returned a message. On a
   * channel of its own: a declare the broker refuses (a quorum queue still being deleted
   * answers 404) closes only that channel, and the next return tries again.
   */
  private redeclare(link: Link): void {
    if (this.redeclaring || this.parts.keeper.current !== link) return;
    this.redeclaring = (async () => {
      const channel = await link.connection.createChannel();
      channel.on('error', (error: unknown) => this.parts.report(error));
      try {
        await this.parts.topology.declare(channel);
      } finally {
        await channel.close().catch(() => undefined);
      }
    })()
      .catch((error: unknown) => this.parts.report(error))
      .finally(() => (this.redeclaring = undefined));
    this.parts.track(this.redeclaring);
  }
}
