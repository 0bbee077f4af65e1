import type Database from 'better-sqlite3';
import type { DeliveryAttempt, WebhookDelivery, WebhookDeliveryStore } from '../../../core/ports/webhook-delivery-store.js';
import { toDelivery, type DeliveryRow } from '../job-rows.js';
import type { GroupCommit } from './group-commit.js';

/** Webhook deliveries in the embedded file (written by SqliteJobStore's transitions through SqliteWebhookDeliveryWrites). */
export class SqliteWebhookDeliveryStore implements WebhookDeliveryStore {
  private readonly s;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      // Inputs: claimant, lease end, now, now, limit. Output: the claimed rows.
      claim: database.prepare(
        `UPDATE webhook_deliveries SET claimed_by = ?, lease_until = ?
         WHERE id IN (SELECT id FROM webhook_deliveries
                      WHERE status = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                      ORDER BY next_attempt_at, id LIMIT ?)
         RETURNING *`,
      ),
      // Inputs: status, next attempt, HTTP status, error, now, id, claimant. Output: changes 1 when recorded.
      attempt: database.prepare(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = ?, next_attempt_at = ?, last_status = ?, last_error = ?, updated_at = ?,
                                       claimed_by = NULL, lease_until = NULL
         WHERE id = ? AND claimed_by = ? AND status = 'pending'`,
      ),
      ofJob: database.prepare(`SELECT * FROM webhook_deliveries WHERE job_id = ? ORDER BY created_at, id`),
    };
  }

  async claim(claimant: string, now: number, leaseMs: number, limit: number): Promise<WebhookDelivery[]> {
    if (limit <= 0) return [];
    const rows = await this.writes.run(() => this.s.claim.all(claimant, now + leaseMs, now, now, limit) as DeliveryRow[]);
    // RETURNING order is unspecified; send the longest-waiting first.
    rows.sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return rows.map(toDelivery);
  }

  recordAttempt(id: string, claimant: string, outcome: DeliveryAttempt, at: number): Promise<boolean> {
    return this.writes.run(() => {
      const status = outcome.delivered ? 'delivered' : outcome.nextAttemptAt === null ? 'failed' : 'pending';
      return this.s.attempt.run(status, outcome.nextAttemptAt, outcome.status, outcome.error, at, id, claimant).changes === 1;
    });
  }

  async ofJob(jobId: string): Promise<WebhookDelivery[]> {
    return (this.s.ofJob.all(jobId) as DeliveryRow[]).map(toDelivery);
  }
}
