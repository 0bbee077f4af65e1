import type { EnqueueRequest } from './queue.js';

/**
 * The transactional outbox of job dispatches (the store's outbox domain), for stores whose
 * queue is elsewhere (a broker). `JobStore.createJob` writes a job's dispatch in the job's own
 * transaction; a relay claims unsent dispatches here, publishes them and marks them sent. A
 * store whose queue commits with the job (embedded SQLite) has none: `claim` finds nothing.
 */
export interface DispatchOutbox {
  /**
   * Up to `limit` unsent dispatches, oldest first, leased to this relay for `leaseMs` so two
   * relays rarely publish the same one (a duplicate is harmless: workers drop it by job id
   * and fencing token). An unsent dispatch whose lease ran out is claimable again.
   */
  claim(limit: number, leaseMs: number): Promise<EnqueueRequest[]>;
  /** Marks dispatches published (after the broker confirmed them): never claimed again. */
  markDispatched(ids: readonly string[]): Promise<void>;
}
