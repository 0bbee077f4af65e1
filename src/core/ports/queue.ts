/**
 * The job queue carries "job X is ready" — ids, never payloads; the store holds the job.
 *
 * Delivery is at least once. A claim is a lease: the worker must heartbeat before
 * `leaseUntil` or the item is handed to someone else. Every claim of an item carries a
 * fencing token larger than any earlier claim's, so a worker that lost its lease (paused,
 * partitioned) is refused when it tries to complete, fail or heartbeat, and store writes are
 * guarded by the same token.
 */
export interface EnqueueRequest {
  /** The job id; enqueueing an id that is already queued (or was) is a no-op. */
  id: string;
  tenant: string;
  /** Higher runs first; default 0. */
  priority?: number;
  /** Not before this time (epoch ms): a delay. */
  runAt?: number;
  /** Dead-lettered unclaimed once past this time (epoch ms). */
  deadline?: number;
  /** Claims allowed before the item is dead-lettered (a lease that expires counts as one). */
  maxAttempts: number;
}

export interface Claim {
  id: string;
  tenant: string;
  /** 1 on the first claim. */
  attempt: number;
  maxAttempts: number;
  /** Fencing token: strictly increasing across the claims of one item. */
  token: number;
  leaseUntil: number;
  deadline: number | null;
}

export type FailOutcome =
  | { outcome: 'retry'; retryAt: number }
  | { outcome: 'dead' }
  /** The claim's lease was lost; nothing changed. */
  | { outcome: 'fenced' };

export interface DeadLetter {
  id: string;
  tenant: string;
  attempts: number;
  reason: 'attempts' | 'deadline' | 'failed';
  at: number;
}

export interface QueueDepth {
  ready: number;
  delayed: number;
  leased: number;
  dead: number;
}

export interface JobQueue {
  enqueue(items: readonly EnqueueRequest[]): Promise<void>;
  /** Up to `max` ready items, highest priority then oldest first, each leased for `leaseMs`. */
  claim(max: number, leaseMs: number): Promise<Claim[]>;
  /** Extends the lease; undefined when the claim was fenced (lease lost, cancelled). */
  heartbeat(claim: Claim, leaseMs: number): Promise<number | undefined>;
  /** Removes the item; false when fenced. */
  complete(claim: Claim): Promise<boolean>;
  /**
   * A failed attempt: retried after a backoff (or `delayMs`) while attempts remain and the
   * failure is retryable, else dead-lettered.
   */
  fail(claim: Claim, options: { retryable: boolean; delayMs?: number }): Promise<FailOutcome>;
  /** Gives the item back without counting the attempt (graceful shutdown). */
  release(claim: Claim): Promise<boolean>;
  /** Removes a waiting item, or fences a claimed one. False when the queue no longer has it. */
  cancel(id: string): Promise<boolean>;
  /**
   * Expired leases back to ready (or dead-lettered when out of attempts), and waiting items
   * past their deadline dead-lettered. Returns what it dead-lettered, for the store to record.
   */
  recover(): Promise<DeadLetter[]>;
  deadLetters(limit: number): Promise<DeadLetter[]>;
  depth(): Promise<QueueDepth>;
  /** A hint that items may be ready (in-process wake-up); workers still poll. */
  onReady(listener: () => void): () => void;
  close(): Promise<void>;
}
