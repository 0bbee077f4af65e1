import { createHash, randomUUID } from 'node:crypto';
import { BreakwaterError } from '../errors/breakwater-error.js';
import type { Gateway } from '../gateway/gateway.js';
import { updateWithCanonicalJsonInTurns } from '../json-in-turns.js';
import { base64Length } from './base64-length.js';
import type { JobEventBus } from '../ports/job-events.js';
import { terminalStatuses, type JobEvent, type JobKind, type JobListFilter, type JobRecord, type JobStore, type NewJob } from '../ports/job-store.js';
import type { Page } from '../ports/page.js';
import type { WebhookDelivery } from '../ports/webhook-delivery-store.js';
import type { VirtualKey } from '../ports/store.js';
import type { WebhookTransport } from '../ports/webhook-transport.js';
import type { Pipeline } from '../pipelines/pipeline.js';
import { encodeJobInput, type JobInput } from './job-input.js';
import { jobWebhook } from './job-webhooks.js';
import type { SubmitJob } from '../../wire/jobs.js';

export interface JobLimits {
  /** Queued jobs of all tenants together. */
  maxQueued: number;
  maxQueuedPerTenant: number;
  defaultMaxAttempts: number;
  /** Largest document accepted in a submission, bytes (after base64 decoding). */
  maxDocumentBytes: number;
  /** A text job's text is a document: no longer than a document's extracted text may be (jobs.documents.maxChars). */
  maxDocumentChars: number;
}

export interface JobServiceOptions {
  store: JobStore;
  bus: JobEventBus;
  gateway: Gateway;
  pipelines: ReadonlyMap<string, Pipeline>;
  webhooks: WebhookTransport | undefined;
  limits: JobLimits;
  /** Called after a job was written (the outbox relay publishes it at once). */
  onCreated?: () => void;
  now?: () => number;
}

/** How often a follower reads the store when the bus has said nothing. */
const storePollMs = 1_000;

/** How old a queued-job count may be before submit reads it again. */
const countTtlMs = 250;

/**
 * The API side of jobs: accepts work in milliseconds (validate, check caps, one store
 * transaction) and never waits for a model. Everything is scoped to the key's tenant: a job
 * of another tenant is reported as not found.
 */
export class JobService {
  private lastIdAt = 0;
  private idSequence = 0;

  private readonly now: () => number;
  private queued: { at: number; total: number; byTenant: Map<string, number> } | undefined;

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  async submit(key: VirtualKey, body: SubmitJob, idempotencyKey: string | undefined): Promise<{ job: JobRecord; created: boolean }> {
    const { limits, store } = this.options;
    const pipeline = body.kind === 'pipeline' ? this.pipeline(body.pipeline) : undefined;
    // Unknown or forbidden models fail now, not minutes later in a worker.
    this.options.gateway.resolve(body.kind === 'chat' ? body.request.model : pipeline!.model, key);
    const webhookUrl = body.webhook?.url ?? pipeline?.webhookUrl ?? null;
    if (body.webhook) this.checkWebhook(body.webhook.url);
    const input = this.input(body);
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
      throw new BreakwaterError('INVALID_REQUEST', 'The Idempotency-Key header must be 1 to 255 characters.', { param: 'Idempotency-Key' });
    }
    // A replay of an accepted submission is answered even when the queue is full now.
    const replay = idempotencyKey !== undefined && (await store.findByIdempotencyKey(key.tenant, idempotencyKey)) !== undefined;
    if (!replay) await this.checkCapacity(key.tenant);

    const now = this.now();
    const id = this.nextId(now);
    const runAt = now + Math.round((body.delay_seconds ?? 0) * 1000);
    const deadline = body.deadline_seconds === undefined ? null : now + Math.round(body.deadline_seconds * 1000);
    const maxAttempts = body.max_attempts ?? limits.defaultMaxAttempts;
    const encoded = await encodeJobInput(input);
    // Only compared when an Idempotency-Key is reused; not worth hashing otherwise.
    const requestHash = idempotencyKey === undefined ? '' : (await updateWithCanonicalJsonInTurns(createHash('sha256'), body)).digest('hex');
    const outcome = await store.createJob(
      {
        id,
        tenant: key.tenant,
        keyId: key.id,
        kind: body.kind,
        pipeline: pipeline?.name ?? null,
        priority: body.priority ?? 0,
        source: body.kind === 'pipeline' ? (body.document?.name ?? null) : null,
        webhookUrl,
        idempotencyKey: idempotencyKey ?? null,
        requestHash,
        maxAttempts,
        metadata: body.metadata ?? {},
        createdAt: now,
        runAt,
        deadline,
      },
      encoded,
      { id, tenant: key.tenant, priority: body.priority ?? 0, runAt, ...(deadline === null ? {} : { deadline }), maxAttempts },
    );
    if (outcome.created) this.options.onCreated?.();
    if (outcome.created && this.queued) {
      this.queued.total++;
      this.queued.byTenant.set(key.tenant, (this.queued.byTenant.get(key.tenant) ?? 0) + 1);
    }
    return outcome;
  }

  /**
   * Queues work another API built (a collection's ingestion): the same caps, webhook check and
   * one-transaction creation as `submit`, with the input as given.
   */
  async submitTask(key: VirtualKey, task: { kind: JobKind; input: JobInput; source: string | null; webhookUrl?: string; metadata?: Record<string, string> }): Promise<JobRecord> {
    if (task.webhookUrl !== undefined) this.checkWebhook(task.webhookUrl);
    await this.checkCapacity(key.tenant);
    const encoded = await encodeJobInput(task.input);
    return this.createAs(key, { kind: task.kind, pipeline: null, priority: 0, source: task.source, webhookUrl: task.webhookUrl ?? null, metadata: task.metadata ?? {} }, encoded);
  }

  /**
   * Runs a failed or cancelled job again as a new job: the same kind, pipeline, priority,
   * webhook and stored input, its metadata plus `retry_of` (the original's id), attempts afresh,
   * no deadline. The original stays as it ended. Workflow advance jobs are the engine's own and
   * are not retried here (a run is resumed through its workflow).
   */
  async retry(key: VirtualKey, id: string): Promise<JobRecord> {
    const job = await this.options.store.getJob(id, key.tenant);
    if (!job) throw notFound(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new BreakwaterError('JOB_NOT_RETRYABLE', `Job ${id} is ${job.status}; only a failed or cancelled job can be retried.`);
    }
    if (job.kind === 'workflow') throw new BreakwaterError('JOB_NOT_RETRYABLE', `Job ${id} advances a workflow run; resume or restart the run instead.`);
    const input = await this.options.store.getInput(id);
    if (!input) throw new BreakwaterError('JOB_NOT_RETRYABLE', `Job ${id} no longer has its input (deleted after jobs.retentionDays); submit it again.`);
    if (job.webhookUrl !== null) this.checkWebhook(job.webhookUrl);
    await this.checkCapacity(key.tenant);
    return this.createAs(
      key,
      { kind: job.kind, pipeline: job.pipeline, priority: job.priority, source: job.source, webhookUrl: job.webhookUrl, metadata: { ...job.metadata, retry_of: id } },
      input,
    );
  }

  /** Creates a job of `key` from parts another call checked, and counts it queued. */
  private async createAs(
    key: VirtualKey,
    job: Pick<NewJob, 'kind' | 'pipeline' | 'priority' | 'source' | 'webhookUrl' | 'metadata'>,
    input: readonly Uint8Array[],
  ): Promise<JobRecord> {
    const now = this.now();
    const id = this.nextId(now);
    const maxAttempts = this.options.limits.defaultMaxAttempts;
    const outcome = await this.options.store.createJob(
      { id, tenant: key.tenant, keyId: key.id, ...job, idempotencyKey: null, requestHash: '', maxAttempts, createdAt: now, runAt: now, deadline: null },
      input,
      { id, tenant: key.tenant, priority: job.priority, runAt: now, maxAttempts },
    );
    this.options.onCreated?.();
    if (this.queued) {
      this.queued.total++;
      this.queued.byTenant.set(key.tenant, (this.queued.byTenant.get(key.tenant) ?? 0) + 1);
    }
    return outcome.job;
  }

  /** `tenant` undefined: the job of whichever tenant owns it (the admin's view); otherwise only that tenant's. */
  async get(tenant: string | undefined, id: string): Promise<{ job: JobRecord; deliveries: WebhookDelivery[] }> {
    const found = await this.options.store.getJobWithDeliveries(id, tenant);
    if (!found) throw notFound(id);
    return found;
  }

  list(tenant: string | undefined, filter: JobListFilter): Promise<Page<JobRecord>> {
    return this.options.store.listJobs(tenant, filter);
  }

  /** Cancels a queued or running job (a running one is stopped by its worker within a heartbeat). */
  async cancel(tenant: string | undefined, id: string): Promise<JobRecord> {
    // The admin names no tenant: the job's own is the one it is cancelled in.
    const owner = tenant ?? (await this.options.store.getJob(id))?.tenant;
    if (owner === undefined) throw notFound(id);
    const outcome = await this.options.store.cancelJob(id, owner, this.now(), (job) => jobWebhook(job, 'job.cancelled', this.now()));
    if (!outcome) throw notFound(id);
    if (!outcome.event) {
      throw new BreakwaterError('JOB_NOT_CANCELLABLE', `Job ${id} already ended (${outcome.job.status}); there is nothing to cancel.`);
    }
    this.options.bus.publish(outcome.event);
    return outcome.job;
  }

  /**
   * The job's events after `afterSeq`, then live ones until the job ends or `signal` aborts.
   * Subscribes before reading the store, so no event falls between the two.
   */
  async *follow(tenant: string | undefined, id: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<JobEvent> {
    const job = await this.options.store.getJob(id, tenant);
    if (!job) throw notFound(id);
    const live: JobEvent[] = [];
    let wake: (() => void) | undefined;
    const unsubscribe = this.options.bus.subscribe(id, (event) => {
      live.push(event);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      let last = afterSeq;
      let ended = false;
      for (const event of await this.options.store.events(id, afterSeq)) {
        last = event.seq;
        yield event;
        if (isFinal(event)) ended = true;
      }
      if (ended || terminalStatuses.has((await this.options.store.getJob(id))?.status ?? 'queued')) {
        // Ended between the two reads: whatever is stored now is complete.
        for (const event of await this.options.store.events(id, last)) yield event;
        return;
      }
      while (!signal.aborted) {
        if (live.length === 0) {
          // Woken by the bus, or after a second: then read the store, which holds every event
          // even when the bus cannot reach this process (a worker elsewhere on an embedded file).
          const woken = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), storePollMs);
            wake = () => {
              clearTimeout(timer);
              resolve(true);
            };
          });
          wake = undefined;
          if (!woken && !signal.aborted) {
            for (const stored of await this.options.store.events(id, last)) {
              last = stored.seq;
              yield stored;
              if (isFinal(stored)) return;
            }
          }
          continue;
        }
        const event = live.shift()!;
        if (event.seq <= last) continue;
        if (event.seq > last + 1) {
          // A gap (this node missed an event): read it back from the store.
          for (const missed of await this.options.store.events(id, last)) {
            if (missed.seq >= event.seq) break;
            last = missed.seq;
            yield missed;
          }
        }
        last = event.seq;
        yield event;
        if (isFinal(event)) return;
      }
    } finally {
      unsubscribe();
      signal.removeEventListener('abort', onAbort);
    }
  }

  private pipeline(name: string): Pipeline {
    const pipeline = this.options.pipelines.get(name);
    if (!pipeline) {
      const known = [...this.options.pipelines.keys()];
      throw new BreakwaterError(
        'PIPELINE_NOT_FOUND',
        `No pipeline "${name}"; declared pipelines: ${known.length > 0 ? known.join(', ') : 'none (add them under pipelines: in breakwater.yaml)'}.`,
        {
          param: 'pipeline',
        },
      );
    }
    return pipeline;
  }

  private checkWebhook(url: string): void {
    if (!this.options.webhooks) {
      throw new BreakwaterError('WEBHOOK_TARGET_FORBIDDEN', 'Webhooks are not configured on this server: set webhooks.secrets in breakwater.yaml to sign them.', {
        param: 'webhook.url',
      });
    }
    this.options.webhooks.checkTarget(url);
  }

  private input(body: SubmitJob): JobInput {
    if (body.kind === 'chat') return { kind: 'chat', request: body.request };
    if (body.text !== undefined) {
      if (body.text.length > this.options.limits.maxDocumentChars) {
        throw new BreakwaterError(
          'DOCUMENT_TOO_LARGE',
          `The text is ${body.text.length} characters; this server reads documents of up to ${this.options.limits.maxDocumentChars} characters (jobs.documents.maxChars).`,
          { param: 'text' },
        );
      }
      return { kind: 'pipeline', text: body.text };
    }
    const document = body.document!;
    const bytes = base64Length(document.data);
    if (bytes === 0 || !/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/.test(document.data.slice(-64))) {
      throw new BreakwaterError('INVALID_REQUEST', "document.data must be the file's bytes in base64.", { param: 'document.data' });
    }
    if (bytes > this.options.limits.maxDocumentBytes) {
      throw new BreakwaterError(
        'DOCUMENT_TOO_LARGE',
        `${document.name ?? 'The document'} is ${bytes} bytes; this server accepts documents up to ${this.options.limits.maxDocumentBytes} bytes (jobs.documents.maxBytes).`,
        { param: 'document.data' },
      );
    }
    return { kind: 'pipeline', document: { name: document.name ?? null, mediaType: document.media_type ?? null, data: document.data } };
  }

  /**
   * Time-ordered job ids: milliseconds, then a per-process sequence within the millisecond,
   * then randomness. Lists sort newest first by (created_at, id), so jobs submitted in the
   * same millisecond still list in the order they were created.
   */
  private nextId(now: number): string {
    this.idSequence = now === this.lastIdAt ? this.idSequence + 1 : 0;
    this.lastIdAt = now;
    return `job_${now.toString(36)}${this.idSequence.toString(36).padStart(4, '0')}${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  }

  private async checkCapacity(tenant: string): Promise<void> {
    const { limits } = this.options;
    const now = this.now();
    if (!this.queued || now - this.queued.at > countTtlMs || this.overCap(tenant)) {
      // Counted again when stale, and before any refusal: a cached count only ever grows
      // (it adds this process's submissions), so it may refuse wrongly but never admit wrongly.
      const counted = await this.options.store.countQueued();
      this.queued = { at: now, total: counted.total, byTenant: new Map(counted.byTenant) };
    }
    const tenantQueued = this.queued.byTenant.get(tenant) ?? 0;
    if (tenantQueued >= limits.maxQueuedPerTenant) {
      throw new BreakwaterError('QUEUE_FULL', `This tenant has ${tenantQueued} queued jobs, the most allowed (jobs.maxQueuedPerTenant); wait for some to finish.`, {
        retryAfterSeconds: 5,
      });
    }
    if (this.queued.total >= limits.maxQueued) {
      throw new BreakwaterError('QUEUE_FULL', `The queue holds ${this.queued.total} jobs, its cap (jobs.maxQueued); retry shortly.`, { retryAfterSeconds: 5 });
    }
  }

  private overCap(tenant: string): boolean {
    const queued = this.queued!;
    return (queued.byTenant.get(tenant) ?? 0) >= this.options.limits.maxQueuedPerTenant || queued.total >= this.options.limits.maxQueued;
  }
}

function isFinal(event: JobEvent): boolean {
  return event.type === 'job-end' || event.type === 'job-fail' || event.type === 'job-cancel';
}

function notFound(id: string): BreakwaterError {
  return new BreakwaterError('JOB_NOT_FOUND', `No job ${id} for this key's tenant.`, { param: 'id' });
}
