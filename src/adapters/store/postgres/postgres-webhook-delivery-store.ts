import type pg from 'pg';
import type { DeliveryAttempt, WebhookDelivery, WebhookDeliveryStore } from '../../../core/ports/webhook-delivery-store.js';
import { toDelivery, type DeliveryRow } from '../job-rows.js';

const sql = {
  // Inputs: $1 claimant, $2 now (epoch ms), $3 lease ms, $4 limit. Output: the claimed rows.
  // SKIP LOCKED: dispatchers on several nodes each take rows no other is taking right now, and
  // the lease keeps a row taken until its attempt is recorded (or the holder is presumed dead).
  claim: {
    name: 'bw-deliveries-claim',
    text: `UPDATE webhook_deliveries SET claimed_by = $1, lease_until = $2::bigint + $3::bigint
           WHERE id IN (SELECT id FROM webhook_deliveries
                        WHERE status = 'pending' AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
                        ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
           RETURNING *`,
  },
  // Inputs: $1 status, $2 next attempt, $3 HTTP status, $4 error, $5 now, $6 id, $7 claimant.
  // Output: rowCount 1 when recorded, 0 when another claim holds the row or it already ended.
  attempt: {
    name: 'bw-delivery-attempt',
    text: `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $1, next_attempt_at = $2, last_status = $3, last_error = $4, updated_at = $5,
                                         claimed_by = NULL, lease_until = NULL
           WHERE id = $6 AND claimed_by = $7 AND status = 'pending'`,
  },
  ofJob: { name: 'bw-deliveries-of', text: 'SELECT * FROM webhook_deliveries WHERE job_id = $1 ORDER BY created_at, id' },
};

/**
 * Webhook deliveries in PostgreSQL (written by PostgresJobStore's transitions through
 * webhookDeliveryWrites). Claims and attempts use `pool`; a job's delivery log is read from
 * `reads`, the bulkhead clients wait on (both may be the same pool).
 */
export class PostgresWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool = pool,
  ) {}

  async claim(claimant: string, now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]> {
    if (limit <= 0) return [];
    const rows = (await this.pool.query<DeliveryRow>({ ...sql.claim, values: [claimant, now, leaseMs, limit] })).rows;
    // RETURNING order is unspecified; send the longest-waiting first.
    rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return rows.map(toDelivery);
  }

  async recordAttempt(id: string, claimant: string, outcome: DeliveryAttempt, at: number): Promise<boolean> {
    const status = outcome.delivered ? 'delivered' : outcome.nextAttemptAt === null ? 'failed' : 'pending';
    const result = await this.pool.query({ ...sql.attempt, values: [status, outcome.nextAttemptAt, outcome.status, outcome.error, at, id, claimant] });
    return result.rowCount === 1;
  }

  async ofJob(jobId: string): Promise<WebhookDelivery[]> {
    return (await this.reads.query<DeliveryRow>({ ...sql.ofJob, values: [jobId] })).rows.map(toDelivery);
  }
}
