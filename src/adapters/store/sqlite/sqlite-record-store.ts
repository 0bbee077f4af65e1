import type Database from 'better-sqlite3';
import type { Page } from '../../../core/ports/page.js';
import type { RecordStore, StoredRecord } from '../../../core/ports/record-store.js';
import { decodeCursor, encodeCursor, page, toRecord, type RecordRow } from '../job-rows.js';

/** A record row as SQLite returns it: `data` is TEXT. */
type SqliteRecordRow = Omit<RecordRow, 'data'> & { data: string };

/** Records in the embedded file (written by SqliteJobStore.completeJob through SqliteRecordWrites). */
export class SqliteRecordStore implements RecordStore {
  private readonly byJob;

  constructor(private readonly database: Database.Database) {
    this.byJob = database.prepare(`SELECT * FROM records WHERE job_id = ?`);
  }

  async list(tenant: string, pipeline: string, cursor: string | undefined, limit: number): Promise<Page<StoredRecord>> {
    const after = decodeCursor(cursor);
    const rows = this.database
      .prepare(
        `SELECT * FROM records WHERE tenant = ? AND pipeline = ? ${after ? 'AND (created_at < ? OR (created_at = ? AND id < ?))' : ''}
         ORDER BY created_at DESC, id DESC LIMIT ?`,
      )
      .all(tenant, pipeline, ...(after ? [after.at, after.at, after.id] : []), limit + 1) as SqliteRecordRow[];
    return page(rows.map(fromSqliteRecord), limit, (record) => encodeCursor(record.createdAt, record.id));
  }

  async getByJob(jobId: string): Promise<StoredRecord | undefined> {
    const row = this.byJob.get(jobId) as SqliteRecordRow | undefined;
    return row && fromSqliteRecord(row);
  }
}

function fromSqliteRecord(row: SqliteRecordRow): StoredRecord {
  return toRecord({ ...row, data: JSON.parse(row.data) as Record<string, unknown> });
}
