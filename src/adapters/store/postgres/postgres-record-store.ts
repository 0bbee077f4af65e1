import type pg from 'pg';
import type { Page } from '../../../core/ports/page.js';
import type { RecordStore, StoredRecord } from '../../../core/ports/record-store.js';
import { decodeCursor, encodeCursor, page, toRecord, type RecordRow } from '../job-rows.js';

const byJob = { name: 'bw-record-by-job', text: 'SELECT * FROM records WHERE job_id = $1' };

/**
 * Records in PostgreSQL (written by PostgresJobStore.completeJob through recordWrites). Reads
 * go to the `reads` pool: clients wait on them, so a burst of writes must not queue them.
 */
export class PostgresRecordStore implements RecordStore {
  constructor(private readonly reads: pg.Pool) {}

  async list(tenant: string, pipeline: string, cursor: string | undefined, limit: number): Promise<Page<StoredRecord>> {
    const after = decodeCursor(cursor);
    const values: unknown[] = [tenant, pipeline, limit + 1];
    if (after) values.push(after.at, after.id);
    const result = await this.reads.query<RecordRow>(
      `SELECT * FROM records WHERE tenant = $1 AND pipeline = $2 ${after ? 'AND (created_at < $4 OR (created_at = $4 AND id < $5))' : ''}
       ORDER BY created_at DESC, id DESC LIMIT $3`,
      values,
    );
    return page(result.rows.map(toRecord), limit, (record) => encodeCursor(record.createdAt, record.id));
  }

  async getByJob(jobId: string): Promise<StoredRecord | undefined> {
    const row = (await this.reads.query<RecordRow>({ ...byJob, values: [jobId] })).rows[0];
    return row && toRecord(row);
  }
}
