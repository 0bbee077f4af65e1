import { randomBytes } from 'node:crypto';
import type { JobRecord } from '../ports/job-store.js';
import type { WebhookOutboxEntry } from '../ports/webhook-delivery-store.js';
import { currentTraceCarrier } from './job-trace.js';
import { toWireJob } from './job-view.js';

export type JobWebhookType = 'job.succeeded' | 'job.failed' | 'job.cancelled' | 'record.created';

export function deliveryId(): string {
  return `whd_${randomBytes(12).toString('hex')}`;
}

/** The outbox entry announcing a job's end to its webhook, if it has one. */
export function jobWebhook(job: JobRecord, type: Exclude<JobWebhookType, 'record.created'>, at: number): WebhookOutboxEntry[] {
  if (!job.webhookUrl) return [];
  return [webhookEntry(job.webhookUrl, type, toWireJob(job), at)];
}

/** An outbox entry whose body carries `data`: the WireJob or WireRecord the event is about. */
export function webhookEntry(url: string, type: JobWebhookType, data: object, at: number): WebhookOutboxEntry {
  const id = deliveryId();
  // The active trace (the worker's job span, the API's request span) goes with the delivery.
  const traceContext = currentTraceCarrier();
  return { id, url, eventType: type, body: JSON.stringify({ id, type, created_at: Math.floor(at / 1000), data }), ...(traceContext ? { traceContext } : {}) };
}
