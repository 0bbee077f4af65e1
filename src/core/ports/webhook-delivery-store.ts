/**
 * A webhook to send, written in the same transaction as the state change it reports. The job
 * port's transitions take a function of the job after the change, so the body shows the final state.
 */
export interface WebhookOutboxEntry {
  id: string;
  url: string;
  eventType: string;
  body: string;
  /** W3C trace context (`traceparent`, `tracestate`) of the work that wrote it: the delivery continues that trace. */
  traceContext?: Record<string, string> | undefined;
}

/** One webhook and its delivery log: attempts so far, the last answer and when to try next. */
export interface WebhookDelivery {
  id: string;
  jobId: string;
  tenant: string;
  url: string;
  eventType: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** The trace context stored with it; absent when tracing was off. */
  traceContext?: Record<string, string> | null;
}

/** What one attempt came to: delivered, or failed with a next attempt (null: failed for good). */
export interface DeliveryAttempt {
  delivered: boolean;
  status: number | null;
  error: string | null;
  nextAttemptAt: number | null;
}

/**
 * The webhook outbox (the store's deliveries domain). Deliveries are written only by the job
 * port's transitions, in the transaction of the change they announce, so a crash never loses
 * one; the dispatchers of every node claim, send and record them through this port.
 */
export interface WebhookDeliveryStore {
  /**
   * Claims up to `limit` pending deliveries due at `now` (oldest first) whose lease is free
   * (never taken, or run out), for `claimant` until `now + leaseMs`. Dispatchers on several
   * nodes claiming at once never get the same delivery while its lease runs. `claimant`
   * names one claim (a fresh value per call), so a later claim never passes for an earlier one.
   */
  claim(claimant: string, now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Records one attempt of a delivery `claimant` holds and frees its lease. False, changing
   * nothing, when another claim holds the delivery now or it is no longer pending: a delivered
   * or failed delivery never changes again.
   */
  recordAttempt(id: string, claimant: string, outcome: DeliveryAttempt, at: number): Promise<boolean>;
  /** A job's deliveries, oldest first (its delivery log). */
  ofJob(jobId: string): Promise<WebhookDelivery[]>;
}
