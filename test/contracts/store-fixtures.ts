import assert from 'node:assert/strict';
import type { JobRecord, NewJob } from '../../src/core/ports/job-store.js';
import type { StoredRecord } from '../../src/core/ports/record-store.js';
import type { EnqueueRequest } from '../../src/core/ports/queue.js';
import type { Store, UsageRow } from '../../src/core/ports/store.js';
import type { WebhookOutboxEntry } from '../../src/core/ports/webhook-delivery-store.js';

/** Rows with plausible values for the store contracts; each takes overrides for what a test is about. Times are explicit (epoch ms) from `t0`. */
export const t0 = Date.UTC(2025, 2, 4, 10, 0, 0);
let counter = 0;
export const unique = (prefix: string): string => `${prefix}_${process.pid}_${String(++counter).padStart(5, '0')}`;

export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    id: unique('job'),
    tenant: 'tenant-a',
    keyId: 'key-a',
    kind: 'pipeline',
    pipeline: 'invoices',
    priority: 0,
    source: 'invoice.pdf',
    webhookUrl: null,
    idempotencyKey: null,
    requestHash: 'hash-1',
    maxAttempts: 3,
    metadata: {},
    createdAt: t0,
    runAt: t0,
    deadline: null,
    ...overrides,
  };
}

/** A job created in `store` and started under `token`. */
export async function runningJob(store: Store, overrides: Partial<NewJob> = {}, token = 1): Promise<NewJob> {
  const job = newJob(overrides);
  await store.jobs.createJob(job, input(), dispatchOf(job));
  assert.ok(await store.jobs.startJob(job.id, token, 1, t0 + 100));
  return job;
}

export const dispatchOf = (job: NewJob): EnqueueRequest => ({ id: job.id, tenant: job.tenant, priority: job.priority, runAt: job.runAt, maxAttempts: job.maxAttempts });
/** A job input as `createJob` takes it: its chunks (one here). */
export const input = (text = '{"document":"..."}'): Uint8Array[] => [new TextEncoder().encode(text)];

/** A ledger row with plausible values; `overrides` set what a test is about. */
export function usage(overrides: Partial<UsageRow>): UsageRow {
  return {
    ts: t0,
    requestId: unique('req'),
    keyId: 'key-a',
    alias: 'fast',
    deployment: 'primary',
    operation: 'chat',
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.1,
    latencyMs: 12.5,
    overheadMs: 0.4,
    status: 200,
    cache: 'miss',
    errorCode: null,
    routeTier: null,
    routeReason: null,
    pii: null,
    ...overrides,
  };
}

export function record(jobId: string, overrides: Partial<StoredRecord> = {}): StoredRecord {
  return {
    id: unique('rec'),
    jobId,
    tenant: 'tenant-a',
    pipeline: 'invoices',
    promptVersion: 2,
    model: 'gpt-test',
    deployment: 'primary',
    attempts: 1,
    inputTokens: 1200,
    outputTokens: 340,
    costUsd: 0.00123,
    source: 'invoice.pdf',
    data: { total: 12.5, lines: [{ sku: 'A', qty: 2 }], note: null },
    createdAt: t0 + 500,
    ...overrides,
  };
}

export const webhookFor =
  (eventType: string, seen: JobRecord[]) =>
  (job: JobRecord): WebhookOutboxEntry[] => {
    seen.push(job);
    return [{ id: unique('whk'), url: 'https://hooks.example.com/bw', eventType, body: JSON.stringify({ id: job.id, status: job.status }) }];
  };
