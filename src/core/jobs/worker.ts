import { BreakwaterError, toBreakwaterError } from '../errors/breakwater-error.js';
import { backoffDelay } from '../routing/backoff.js';
import type { JobEventBus } from '../ports/job-events.js';
import type { JobError, JobKind, JobRecord, JobStore, Transition } from '../ports/job-store.js';
import type { Claim, JobQueue } from '../ports/queue.js';
import type { KeyStore, VirtualKey } from '../ports/store.js';
import { context as traceContext } from '@opentelemetry/api';
import { nextTurn } from '../turns.js';
import { byteLengthOf, decodeJobInput, jobTraceCarrier, type JobInput } from './job-input.js';
import { JobTrace } from './job-trace.js';
import type { JobHandler } from './job-handler.js';
import { jobWebhook } from './job-webhooks.js';

export interface WorkerOptions {
  store: JobStore;
  queue: JobQueue;
  bus: JobEventBus;
  keys: KeyStore;
  handlers: Readonly<Record<JobKind, JobHandler>>;
  /** Jobs run at once by this process. */
  concurrency: number;
  leaseMs: number;
  /** How often an idle worker looks for delayed or recovered jobs (it is woken at once for new ones). */
  pollMs: number;
  /** How often expired leases and deadlines are swept. */
  recoverMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  onError: (error: unknown, context: string) => void;
  now?: () => number;
  /**
   * Decodes an input of `largeInputBytes` or more off the event loop (a worker thread): a 4 MB
   * input's UTF-8 decode and JSON.parse held the loop ~50 ms under load. Without it, such an
   * input is decoded on the loop in a turn of its own.
   */
  decodeLargeInput?: (chunks: readonly Uint8Array[]) => Promise<JobInput>;
}

/** An input this large is decoded off the loop, or in a turn of its own. */
const largeInputBytes = 512 * 1024;

/** How long a worker trusts a key it looked up (a revocation reaches running workers within this). */
const keyCacheMs = 5_000;

interface Running {
  claim: Claim;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Claims jobs and runs them. Store first, queue second at every step, so a crash between the
 * two leaves a lease that expires and a job that is run again — never a job that is lost —,
 * and every store write carries the claim's fencing token, so a worker that lost its lease
 * changes nothing. Sinks are idempotent on the job id, so a job run twice writes once.
 */
export class Worker {
  private readonly running = new Map<string, Running>();
  private readonly keys = new Map<string, { key: VirtualKey | undefined; until: number }>();
  private readonly now: () => number;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private unsubscribeReady: (() => void) | undefined;
  private recoverTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WorkerOptions) {
    this.now = options.now ?? Date.now;
  }

  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribeReady = this.options.queue.onReady(() => this.wake?.());
    this.recoverTimer = setInterval(() => void this.recover(), this.options.recoverMs);
    this.recoverTimer.unref();
    void this.recover();
    this.loop = this.claimLoop();
  }

  /**
   * Stops claiming, lets running jobs finish for up to `graceMs`, then stops the rest and
   * gives their claims back (their attempt is not counted).
   */
  async stop(graceMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribeReady?.();
    clearInterval(this.recoverTimer);
    this.wake?.();
    await this.loop;
    const all = Promise.all([...this.running.values()].map((run) => run.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      const releasing = [...this.running.values()].map(async (run) => {
        run.controller.abort(new BreakwaterError('NOT_READY', 'The worker is shutting down; the job goes back to the queue.', { retryable: true }));
        await run.done;
      });
      await Promise.all(releasing);
    }
  }

  private async claimLoop(): Promise<void> {
    const { queue, concurrency, leaseMs, pollMs } = this.options;
    while (!this.stopped) {
      const free = concurrency - this.running.size;
      let claims: Claim[] = [];
      if (free > 0) {
        try {
          claims = await queue.claim(free, leaseMs);
        } catch (error) {
          this.options.onError(error, 'claiming jobs');
        }
      }
      for (const claim of claims) this.launch(claim);
      if (claims.length > 0 && claims.length === free) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private launch(claim: Claim): void {
    const controller = new AbortController();
    const run: Running = { claim, controller, done: Promise.resolve() };
    run.done = this.process(claim, controller)
      .catch((error) => this.options.onError(error, `running job ${claim.id}`))
      .finally(() => {
        this.running.delete(claim.id);
        this.wake?.();
      });
    this.running.set(claim.id, run);
  }

  private async process(claim: Claim, controller: AbortController): Promise<void> {
    const { store, queue } = this.options;
    const started = await store.startJob(claim.id, claim.token, claim.attempt, this.now());
    if (!started) {
      // Not startable: the job ended (or was deleted), or a claim with a token at least as
      // large already started it (a duplicate message from a re-published dispatch). Either
      // way this delivery is surplus: settle it, so it is neither redelivered nor, after
      // enough redeliveries, dead-lettered in the name of a job that is fine.
      await queue.complete(claim);
      return;
    }
    this.publish(started);
    const job = started.job;

    if (job.deadline !== null && this.now() >= job.deadline) {
      await this.finishFailed(claim, job, deadlineError(job), false);
      return;
    }
    const stopHeartbeat = this.heartbeat(claim, controller);
    const stopFollowing = this.options.bus.subscribe(job.id, (event) => {
      if (event.type === 'job-cancel') controller.abort(new BreakwaterError('JOB_CANCELLED', 'The job was cancelled.'));
    });
    const deadlineTimer = job.deadline === null ? undefined : setTimeout(() => controller.abort(deadlineError(job)), Math.max(0, job.deadline - this.now()));
    let jobTrace: JobTrace | undefined;
    let failure: { code: string } | undefined;
    try {
      const key = await this.keyOf(job.keyId);
      if (!key || key.revokedAt !== null) {
        throw new BreakwaterError('INVALID_API_KEY', 'The key that submitted this job was revoked; the job was not run.');
      }
      const input = await this.inputOf(job.id, started.input);
      // One trace from the submission to the record: this run continues the context stored with the job.
      const runTrace = new JobTrace({ id: job.id, kind: job.kind, tenant: job.tenant, attempt: claim.attempt }, jobTraceCarrier(input));
      jobTrace = runTrace;
      const outcome = await traceContext.with(runTrace.context, () =>
        this.options.handlers[job.kind].run({
          job,
          input,
          key,
          attempt: claim.attempt,
          signal: controller.signal,
          progress: async (step, data = {}) => {
            if (controller.signal.aborted) throw controller.signal.reason;
            runTrace.stepStarted(step);
            const transition = await store.progress(job.id, claim.token, step, data, this.now());
            if (transition) this.publish(transition);
          },
        }),
      );
      if (controller.signal.aborted) throw controller.signal.reason;
      const completed = await runTrace.completion(outcome.record !== undefined, () =>
        store.completeJob(job.id, claim.token, outcome.result, this.now(), {
          ...(outcome.record ? { record: outcome.record } : {}),
          webhooks: (done) => [...jobWebhook(done, 'job.succeeded', this.now()), ...(outcome.webhooks?.(done) ?? [])],
        }),
      );
      if (completed) this.publish(completed);
      await queue.complete(claim);
    } catch (thrown) {
      const reason = controller.signal.aborted ? controller.signal.reason : thrown;
      // A failure that is not one of ours (a database or broker connection dropped, a bug) is
      // tried again within max_attempts: only a BreakwaterError can say "never retry".
      const error = BreakwaterError.isInstance(reason) ? reason : toBreakwaterError(reason, { retryable: true });
      failure = error;
      // In the run's trace, as a success's completion is: a job.failed webhook continues it.
      const aborted = controller.signal.aborted;
      await traceContext.with(jobTrace?.context ?? traceContext.active(), () => this.onFailure(claim, job, error, aborted));
    } finally {
      jobTrace?.end(failure);
      stopHeartbeat();
      stopFollowing();
      clearTimeout(deadlineTimer);
    }
  }

  private async onFailure(claim: Claim, job: JobRecord, error: BreakwaterError, aborted: boolean): Promise<void> {
    const { queue } = this.options;
    if (aborted && error.code === 'NOT_READY') {
      // Shutdown: give the job back untouched.
      await queue.release(claim);
      return;
    }
    if (aborted && error.code === 'JOB_CANCELLED') {
      // Cancelled: the store already says so; drop the queue item if it is still there.
      await queue.complete(claim);
      return;
    }
    // Lost lease: another claim owns the job now; every write of ours would be fenced anyway.
    if (aborted && error.code === 'JOB_LEASE_LOST') return;
    const retry = error.retryable && claim.attempt < claim.maxAttempts;
    await this.finishFailed(claim, job, error, retry);
  }

  private async finishFailed(claim: Claim, job: JobRecord, error: BreakwaterError, retry: boolean): Promise<void> {
    const { store, queue } = this.options;
    const now = this.now();
    const delayMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoffDelay(claim.attempt - 1, this.options.retryBaseMs, this.options.retryMaxMs);
    const retryAt = retry && (job.deadline === null || now + delayMs < job.deadline) ? now + delayMs : null;
    const transition = await store.failJob(job.id, claim.token, jobError(error), retryAt, now, (failed) => jobWebhook(failed, 'job.failed', now));
    if (transition) this.publish(transition);
    await queue.fail(claim, retryAt === null ? { retryable: false } : { retryable: true, delayMs });
  }

  /** Keys change rarely and every job needs one: looked up at most every few seconds per key. */
  /** The job's input: the copy `startJob` returned, else the store's, decoded (off the loop when large). */
  private async inputOf(id: string, started: Uint8Array | undefined): Promise<JobInput> {
    const chunks = started ? [started] : await this.options.store.getInput(id);
    if (!chunks) throw new BreakwaterError('INTERNAL_ERROR', `Job ${id} has no stored input.`);
    if (byteLengthOf(chunks) < largeInputBytes) return decodeJobInput(chunks);
    if (this.options.decodeLargeInput) return this.options.decodeLargeInput(chunks);
    // Decoding megabytes is a step of its own (core/turns.ts).
    await nextTurn();
    return decodeJobInput(chunks);
  }

  private async keyOf(id: string): Promise<VirtualKey | undefined> {
    const now = this.now();
    const cached = this.keys.get(id);
    if (cached && cached.until > now) return cached.key;
    const key = await this.options.keys.findKey(id);
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(id, { key, until: now + keyCacheMs });
    return key;
  }

  /** Extends the lease every third of it; a refused heartbeat (lease lost, job cancelled) aborts the run. */
  private heartbeat(claim: Claim, controller: AbortController): () => void {
    const interval = Math.max(50, Math.floor(this.options.leaseMs / 3));
    const timer = setInterval(() => {
      this.options.queue.heartbeat(claim, this.options.leaseMs).then(
        (leaseUntil) => {
          if (leaseUntil === undefined && !controller.signal.aborted) {
            controller.abort(new BreakwaterError('JOB_LEASE_LOST', `The lease on job ${claim.id} was lost (taken over or cancelled); this worker stops.`));
          }
        },
        (error) => this.options.onError(error, `heartbeat of job ${claim.id}`),
      );
    }, interval);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Dead-lettered items (a worker that kept dying, a deadline passed while queued) fail their jobs. */
  private async recover(): Promise<void> {
    try {
      const dead = await this.options.queue.recover();
      for (const letter of dead) {
        const now = this.now();
        const error: JobError =
          letter.reason === 'deadline'
            ? { code: 'JOB_DEADLINE_EXCEEDED', message: "The job's deadline passed before it could finish." }
            : {
                code: 'JOB_ATTEMPTS_EXHAUSTED',
                message: `The job's worker stopped without finishing on each of its ${letter.attempts} attempts (crashed, killed or lost its lease).`,
              };
        const transition = await this.options.store.abandonJob(letter.id, error, now, (job) => jobWebhook(job, 'job.failed', now));
        if (transition) this.publish(transition);
      }
    } catch (error) {
      this.options.onError(error, 'recovering expired leases');
    }
  }

  private publish(transition: Transition): void {
    this.options.bus.publish(transition.event);
  }
}

function deadlineError(job: JobRecord): BreakwaterError {
  return new BreakwaterError('JOB_DEADLINE_EXCEEDED', `Job ${job.id} passed its deadline before it could finish.`, { retryable: false });
}

function jobError(error: BreakwaterError): JobError {
  return { code: error.code, message: error.message, ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}) };
}
