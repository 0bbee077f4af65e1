import type pg from 'pg';
import type { DispatchOutbox } from '../../../core/ports/dispatch-outbox.js';
import type { EnqueueRequest } from '../../../core/ports/queue.js';
import { toDispatch, type DispatchRow } from '../job-rows.js';
import { databaseNow } from './dispatch-outbox-writes.js';

const sql = {
  // Inputs: $1 limit, $2 lease ms. Output: the claimed rows.
  // SKIP LOCKED: relays on several nodes each take rows no other relay is taking right now.
  claim: {
    name: 'bw-dispatch-claim',
    text: `UPDATE dispatch_outbox SET claimed_until = ${databaseNow} + $2
           WHERE id IN (SELECT id FROM dispatch_outbox
                        WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ${databaseNow})
                        ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING id, tenant, priority, run_at, deadline, max_attempts, created_at`,
  },
  markDispatched: { name: 'bw-dispatch-sent', text: `UPDATE dispatch_outbox SET sent_at = ${databaseNow} WHERE id = ANY($1::text[]) AND sent_at IS NULL` },
};

/** The dispatch outbox in PostgreSQL, relayed to the broker by every node (see OutboxRelay). */
export class PostgresDispatchOutbox implements DispatchOutbox {
  constructor(private readonly pool: pg.Pool) {}

  async claim(limit: number, leaseMs: number): Promise<EnqueueRequest[]> {
    if (limit <= 0) return [];
    const result = await this.pool.query<DispatchRow & { created_at: number }>({ ...sql.claim, values: [limit, leaseMs] });
    // RETURNING order is unspecified; relay oldest first.
    result.rows.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return result.rows.map(toDispatch);
  }

  async markDispatched(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query({ ...sql.markDispatched, values: [ids] });
  }
}
