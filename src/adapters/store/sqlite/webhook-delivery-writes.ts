import type Database from 'better-sqlite3';
import type { WebhookOutboxEntry } from '../../../core/ports/webhook-delivery-store.js';
import { traceContextText } from '../job-rows.js';

/**
 * The webhook_deliveries table's writes as the job port makes them, inside its own
 * group-commit write: a delivery commits with the transition it announces, and retention
 * deletes a deleted job's sent deliveries (see SqliteJobStore).
 */
export class SqliteWebhookDeliveryWrites {
  private readonly s;

  constructor(database: Database.Database) {
    this.s = {
      insert: database.prepare(
        `INSERT INTO webhook_deliveries (id, job_id, tenant, url, event_type, body, status, next_attempt_at, created_at, updated_at, trace_context)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
      ),
      // A pending delivery stays: its webhook is still owed.
      deleteEnded: database.prepare(`DELETE FROM webhook_deliveries WHERE job_id = ? AND status != 'pending'`),
    };
  }

  /** Call inside a write the group commit runs. The deliveries are due at once. */
  insert(job: { id: string; tenant: string }, webhooks: readonly WebhookOutboxEntry[], at: number): void {
    for (const webhook of webhooks) this.s.insert.run(webhook.id, job.id, job.tenant, webhook.url, webhook.eventType, webhook.body, at, at, at, traceContextText(webhook));
  }

  /** Call inside a write the group commit runs. */
  deleteEndedOf(jobId: string): void {
    this.s.deleteEnded.run(jobId);
  }
}
