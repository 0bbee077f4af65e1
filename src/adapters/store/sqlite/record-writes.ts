import type Database from 'better-sqlite3';
import type { StoredRecord } from '../../../core/ports/record-store.js';
import { recordValues } from '../job-rows.js';

/**
 * The records table's writes as the job port makes them, inside its own group-commit write:
 * a record commits with the transition that completes its job (see SqliteJobStore).
 */
export class SqliteRecordWrites {
  private readonly insertRecord;

  constructor(database: Database.Database) {
    // A job writes one record: a second completion (which the fenced UPDATE already refuses) would add none.
    this.insertRecord = database.prepare(
      `INSERT INTO records (id, job_id, tenant, pipeline, prompt_version, model, deployment, attempts, input_tokens, output_tokens,
                            cost_nanos, source, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING`,
    );
  }

  /** Call inside a write the group commit runs. */
  insert(record: StoredRecord): void {
    this.insertRecord.run(...recordValues(record));
  }
}
