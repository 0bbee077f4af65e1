import type { JobEvent, JobRecord } from '../ports/job-store.js';
import type { Page } from '../ports/page.js';
import type { StoredRecord } from '../ports/record-store.js';
import type { WebhookDelivery } from '../ports/webhook-delivery-store.js';
import type { WireJobEvent } from '../../wire/job-events.js';
import type { WireJob, WireWebhookDelivery } from '../../wire/jobs.js';
import type { WireList } from '../../wire/list.js';
import type { WireRecord } from '../../wire/records.js';

/**
 * How jobs, their events, deliveries and records look to clients: the API's responses and the
 * webhooks' bodies are the same objects, typed in src/wire. Times are Unix seconds.
 */

export function jobLinks(id: string): WireJob['links'] {
  return { self: `/v1/jobs/${id}`, events: `/v1/jobs/${id}/events`, cancel: `/v1/jobs/${id}/cancel` };
}

function seconds(ms: number): number;
function seconds(ms: number | null): number | null;
function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.floor(ms / 1000);
}

/** A job as the API shows it (and as webhooks carry it). */
export function toWireJob(job: JobRecord, deliveries?: readonly WebhookDelivery[]): WireJob {
  return {
    id: job.id,
    object: 'job',
    kind: job.kind,
    pipeline: job.pipeline,
    status: job.status,
    step: job.step,
    source: job.source,
    priority: job.priority,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    created_at: seconds(job.createdAt),
    started_at: seconds(job.startedAt),
    finished_at: seconds(job.finishedAt),
    run_at: seconds(job.runAt),
    deadline: seconds(job.deadline),
    metadata: job.metadata,
    result: job.result ?? null,
    error: job.error,
    webhook: job.webhookUrl ? { url: job.webhookUrl } : null,
    ...(deliveries ? { webhook_deliveries: deliveries.map(toWireDelivery) } : {}),
    links: jobLinks(job.id),
  };
}

export function toWireDelivery(delivery: WebhookDelivery): WireWebhookDelivery {
  return {
    id: delivery.id,
    url: delivery.url,
    type: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: seconds(delivery.nextAttemptAt),
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
  };
}

export function toWireEvent(event: JobEvent): WireJobEvent {
  return { job_id: event.jobId, seq: event.seq, type: event.type, at: seconds(event.at), ...event.data };
}

export function toWireRecord(record: StoredRecord): WireRecord {
  return {
    id: record.id,
    object: 'record',
    pipeline: record.pipeline,
    data: record.data,
    provenance: {
      job_id: record.jobId,
      prompt_version: record.promptVersion,
      model: record.model,
      deployment: record.deployment,
      attempts: record.attempts,
      input_tokens: record.inputTokens,
      output_tokens: record.outputTokens,
      cost_usd: record.costUsd,
      source: record.source,
    },
    created_at: seconds(record.createdAt),
  };
}

/** A store page as the API lists it. */
export function toWireList<Item, Wire>(page: Page<Item>, toWire: (item: Item) => Wire): WireList<Wire> {
  return { object: 'list', data: page.data.map((item) => toWire(item)), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
}
