import type pg from 'pg';
import type { StoredRecord } from '../../../core/ports/record-store.js';
import { recordValues } from '../job-rows.js';

const insert = {
  name: 'bw-record-insert',
  // A job writes one record: a second completion (which the fenced UPDATE already refuses) would add none.
  text: `INSERT INTO records (id, job_id, tenant, pipeline, prompt_version, model, deployment, attempts, input_tokens, output_tokens,
                              cost_nanos, source, data, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14) ON CONFLICT (job_id) DO NOTHING`,
};

/**
 * The records table's writes as the job port makes them, on the connection of its own
 * transaction: a record commits with the transition that completes its job (see PostgresJobStore).
 */
export const recordWrites = {
  async insert(client: pg.PoolClient, record: StoredRecord): Promise<void> {
    await client.query({ ...insert, values: recordValues(record) });
  },
};
