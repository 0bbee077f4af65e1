import type pg from 'pg';
import type { EnqueueRequest } from '../../../core/ports/queue.js';

/** Outbox leases and sent times use the database clock, which every relay node shares. */
export const databaseNow = '(extract(epoch FROM clock_timestamp()) * 1000)::bigint';

/**
 * The dispatch outbox's rows as other domains write them inside their own transactions: the
 * job port writes a new job's dispatch with the job, and its retention deletes dispatches with
 * the jobs. The outbox port (PostgresDispatchOutbox) only claims and marks them.
 */
export const dispatchOutboxWrites = {
  /**
   * `INSERT … SELECT … FROM job` for a statement whose CTE `job` holds the new job's row (no
   * row, no dispatch): parameters $first … $first+6 in the order of `values`.
   */
  insertFromJob(first: number): string {
    const p = (offset: number) => `$${first + offset}`;
    return `INSERT INTO dispatch_outbox (id, tenant, priority, run_at, deadline, max_attempts, created_at)
       SELECT ${p(0)}::text, ${p(1)}::text, ${p(2)}::integer, ${p(3)}::bigint, ${p(4)}::bigint, ${p(5)}::integer, ${p(6)}::bigint FROM job`;
  },

  /** The parameters of `insertFromJob`; fields the dispatch leaves out are stored as null. */
  values(dispatch: EnqueueRequest, createdAt: number): unknown[] {
    return [dispatch.id, dispatch.tenant, dispatch.priority ?? null, dispatch.runAt ?? null, dispatch.deadline ?? null, dispatch.maxAttempts, createdAt];
  },

  /** Forgets dispatches sent more than `ageMs` ago (by the database clock). */
  async pruneSent(client: pg.PoolClient, ageMs: number): Promise<void> {
    await client.query({ name: 'bw-dispatch-prune', text: `DELETE FROM dispatch_outbox WHERE sent_at < ${databaseNow} - $1`, values: [ageMs] });
  },

  /** Deletes the dispatches of these jobs, sent or not: an ended job needs none. */
  async deleteOf(client: pg.PoolClient, jobIds: readonly string[]): Promise<void> {
    await client.query({ name: 'bw-dispatches-delete', text: 'DELETE FROM dispatch_outbox WHERE id = ANY($1::text[])', values: [jobIds] });
  },
};
