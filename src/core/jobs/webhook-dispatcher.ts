import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import { toBreakwaterError } from '../errors/breakwater-error.js';
import type { DeliveryAttempt, WebhookDelivery, WebhookDeliveryStore } from '../ports/webhook-delivery-store.js';
import type { DeliveryOutcome, WebhookTransport } from '../ports/webhook-transport.js';

export interface WebhookDispatcherOptions {
  deliveries: WebhookDeliveryStore;
  transport: WebhookTransport;
  /** Delay before attempt n + 1 after attempt n failed. */
  retryDelayMs: (failedAttempt: number) => number;
  maxAttempts: number;
  pollMs: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  /**
   * How long a claimed delivery stays this dispatcher's: longer than one attempt can take
   * (the transport's timeout) plus recording it, or another node may send it again meanwhile.
   */
  leaseMs: number;
  onError: (error: unknown, context: string) => void;
  now?: () => number;
}

/**
 * Sends the webhook outbox: deliveries are rows written in the same transaction as the job
 * change they announce, so a crash never loses one; this loop claims due rows (a lease, so
 * the dispatchers of several worker nodes never send one row at the same time), sends them,
 * records each attempt on the row (the job's delivery log) and schedules the next with
 * backoff. A row is sent again only when its holder died or overran its lease; receivers
 * deduplicate on `breakwater-webhook-id` for that case.
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private readonly now: () => number;
  /** Claimant names are this prefix and a counter: unique per claim, across nodes. */
  private readonly claimantPrefix = `whc_${randomBytes(6).toString('hex')}`;
  private claims = 0;
  private stopping = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stopping = false;
    this.timer ??= setInterval(() => void this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  /** Sends what is due now; resolves when those attempts are recorded. */
  tick(): Promise<void> {
    this.ticking ??= this.sendDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  private async sendDue(): Promise<void> {
    const { deliveries, transport } = this.options;
    try {
      const claimant = `${this.claimantPrefix}_${++this.claims}`;
      const claimedAt = this.now();
      const due = await deliveries.claim(claimant, claimedAt, this.options.leaseMs, this.options.concurrency);
      await Promise.all(
        due.map(async (delivery) => {
          const attempt = delivery.attempts + 1;
          const outcome = await sendInTrace(delivery, attempt, (headers) =>
            transport.deliver({ url: delivery.url, body: delivery.body, deliveryId: delivery.id, ...(headers ? { headers } : {}) }),
          );
          const again = !outcome.ok && outcome.retry && attempt < this.options.maxAttempts;
          const recorded = await this.record(
            delivery.id,
            claimant,
            { delivered: outcome.ok, status: outcome.status, error: outcome.error, nextAttemptAt: again ? this.now() + this.options.retryDelayMs(attempt) : null },
            claimedAt + this.options.leaseMs,
          );
          if (!recorded) {
            this.options.onError(
              new Error(
                `Webhook delivery ${delivery.id}: the attempt outlasted its ${this.options.leaseMs} ms lease and another dispatcher claimed it, so the receiver may get it twice (it deduplicates on breakwater-webhook-id). A store this slow to record needs looking at.`,
              ),
              'recording a webhook attempt',
            );
          }
        }),
      );
    } catch (error) {
      this.options.onError(error, 'sending webhooks');
    }
  }

  /**
   * Records an attempt. The receiver already has the webhook, so when the store does not answer
   * (a database restart) the record is tried again until shortly before the claim's lease ends:
   * given up at once, the lease lapsed and another dispatcher sent the webhook a second time
   * (the fault suite saw it during a PostgreSQL restart).
   */
  private async record(id: string, claimant: string, outcome: DeliveryAttempt, leaseEndsAt: number): Promise<boolean> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.options.deliveries.recordAttempt(id, claimant, outcome, this.now());
      } catch (error) {
        const waitMs = Math.min(100 * 2 ** retry, 2_000);
        if (this.stopping || !toBreakwaterError(error).retryable || this.now() + waitMs + recordMarginMs >= leaseEndsAt) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }
}

/** The last record attempt ends this long before the lease does, so it cannot race a new claim. */
const recordMarginMs = 2_000;

const tracer = trace.getTracer('breakwater');

/**
 * One attempt of a delivery written with a trace context (the job's): a CLIENT span `POST` in
 * that trace (OpenTelemetry HTTP client conventions), whose context goes out as the W3C
 * `traceparent` (and `tracestate`) headers, so the receiver continues the job's trace. A
 * delivery without one (tracing off when it was written) is sent without the headers.
 */
async function sendInTrace(delivery: WebhookDelivery, attempt: number, send: (headers: Record<string, string> | undefined) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome> {
  if (!delivery.traceContext) return send(undefined);
  const parent = propagation.extract(ROOT_CONTEXT, delivery.traceContext);
  const span = tracer.startSpan(
    'POST',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        'breakwater.webhook.event_type': delivery.eventType,
        'breakwater.webhook.delivery_id': delivery.id,
        'breakwater.webhook.attempt': attempt,
        'breakwater.job.id': delivery.jobId,
      },
    },
    parent,
  );
  const headers: Record<string, string> = {};
  const active = trace.setSpan(parent, span);
  propagation.inject(active, headers);
  // With no propagator registered (no tracer provider), pass on the stored context as it is.
  const sent = headers.traceparent ? headers : { ...delivery.traceContext };
  try {
    const outcome = await context.with(active, () => send(sent));
    if (outcome.status !== null) span.setAttribute('http.response.status_code', outcome.status);
    if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error ?? 'failed' });
    return outcome;
  } finally {
    span.end();
  }
}
