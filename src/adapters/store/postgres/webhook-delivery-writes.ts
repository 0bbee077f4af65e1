import type pg from 'pg';
import type { WebhookOutboxEntry } from '../../../core/ports/webhook-delivery-store.js';
import { traceContextText } from '../job-rows.js';

const sql = {
  insert: {
    name: 'bw-delivery-insert',
    text: `INSERT INTO webhook_deliveries (id, job_id, tenant, url, event_type, body, status, next_attempt_at, created_at, updated_at, trace_context)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7, $7, $8)`,
  },
  // A pending delivery stays: its webhook is still owed.
  deleteEnded: { name: 'bw-deliveries-delete', text: `DELETE FROM webhook_deliveries WHERE job_id = ANY($1::text[]) AND status != 'pending'` },
};

/**
 * The webhook_deliveries table's writes as the job port makes them, on the connection of its
 * own transaction: a delivery commits with the transition it announces, and retention deletes
 * deleted jobs' sent deliveries (see PostgresJobStore).
 */
export const webhookDeliveryWrites = {
  /** The deliveries are due at once. */
  async insert(client: pg.PoolClient, job: { id: string; tenant: string }, webhooks: readonly WebhookOutboxEntry[], at: number): Promise<void> {
    for (const webhook of webhooks) {
      await client.query({ ...sql.insert, values: [webhook.id, job.id, job.tenant, webhook.url, webhook.eventType, webhook.body, at, traceContextText(webhook)] });
    }
  },

  async deleteEndedOf(client: pg.PoolClient, jobIds: readonly string[]): Promise<void> {
    await client.query({ ...sql.deleteEnded, values: [jobIds] });
  },
};
