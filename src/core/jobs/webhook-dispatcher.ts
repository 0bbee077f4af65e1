import type { JobStore } from '../ports/job-store.js';
import type { WebhookTransport } from '../ports/webhook-transport.js';

export interface WebhookDispatcherOptions {
  store: JobStore;
  transport: WebhookTransport;
  /** Delay before attempt n + 1 after attempt n failed. */
  retryDelayMs: (failedAttempt: number) => number;
  maxAttempts: number;
  pollMs: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  onError: (error: unknown, context: string) => void;
  now?: () => number;
}

/**
 * Sends the webhook outbox: deliveries are rows written in the same transaction as the job
 * change they announce, so a crash never loses one; this loop sends due rows, records each
 * attempt on the row (the job's delivery log) and schedules the next with backoff. A row is
 * sent at least once; receivers deduplicate on `breakwater-webhook-id`.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly inFlight = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  /** Sends what is due now; resolves when those attempts are recorded. */
  tick(): Promise<void> {
    this.ticking ??= this.sendDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private async sendDue(): Promise<void> {
    const { store, transport } = this.options;
    try {
      const due = (await store.dueDeliveries(this.now(), this.options.concurrency)).filter((delivery) => !this.inFlight.has(delivery.id));
      await Promise.all(
        due.map(async (delivery) => {
          this.inFlight.add(delivery.id);
          try {
            const outcome = await transport.deliver({ url: delivery.url, body: delivery.body, deliveryId: delivery.id });
            const attempt = delivery.attempts + 1;
            const again = !outcome.ok && outcome.retry && attempt < this.options.maxAttempts;
            await store.recordDeliveryAttempt(
              delivery.id,
              { delivered: outcome.ok, status: outcome.status, error: outcome.error, nextAttemptAt: again ? this.now() + this.options.retryDelayMs(attempt) : null },
              this.now(),
            );
          } finally {
            this.inFlight.delete(delivery.id);
          }
        }),
      );
    } catch (error) {
      this.options.onError(error, 'sending webhooks');
    }
  }
}
