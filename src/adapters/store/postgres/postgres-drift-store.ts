import type pg from 'pg';
import type { DriftObservation, DriftStore } from '../../../core/ports/drift-store.js';
import { type DriftObservationRow, driftColumns, driftRowValues, fromDriftRow } from '../drift-rows.js';

/** Drift observations in PostgreSQL: every node appends its minutes, any node reports over all of them. */
export class PostgresDriftStore implements DriftStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
  ) {}

  async append(observations: readonly DriftObservation[]): Promise<void> {
    if (observations.length === 0) return;
    const rows = observations.map(driftRowValues);
    const column = (index: number) => rows.map((row) => row[index]);
    await this.pool.query({
      name: 'bw-drift-insert-batch',
      text: `INSERT INTO drift_observations (${driftColumns})
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[],
                                  $9::bigint[], $10::bigint[], $11::bigint[], $12::text[], $13::text[])`,
      values: Array.from({ length: 13 }, (_, index) => column(index)),
    });
  }

  async window(from: number, to: number): Promise<DriftObservation[]> {
    const result = await this.reads.query<DriftObservationRow>({
      name: 'bw-drift-window',
      text: `SELECT ${driftColumns} FROM drift_observations WHERE at >= $1 AND at < $2`,
      values: [from, to],
    });
    return result.rows.map(fromDriftRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return (await this.pool.query('DELETE FROM drift_observations WHERE at < $1', [at])).rowCount ?? 0;
  }
}
