import type pg from 'pg';
import type { ShadowSample, ShadowStore } from '../../../core/ports/shadow-store.js';
import { fromShadowRow, type ShadowSampleRow, shadowColumns, shadowRowValues } from '../shadow-rows.js';

/** Shadow samples in PostgreSQL: every node appends, any node reports. */
export class PostgresShadowStore implements ShadowStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
  ) {}

  async append(samples: readonly ShadowSample[]): Promise<void> {
    if (samples.length === 0) return;
    // One statement for the batch: each column as an array parameter, zipped back by unnest.
    const rows = samples.map(shadowRowValues);
    const column = (index: number) => rows.map((row) => row[index]);
    await this.pool.query({
      name: 'bw-shadow-insert-batch',
      text: `INSERT INTO shadow_samples (${shadowColumns})
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::jsonb[], $7::float8[], $8::float8[],
                                  $9::float8[], $10::float8[], $11::bigint[], $12::bigint[], $13::jsonb[], $14::text[])`,
      values: Array.from({ length: 14 }, (_, index) => column(index)),
    });
  }

  async recent(shadow: string, limit: number): Promise<ShadowSample[]> {
    const result = await this.reads.query<ShadowSampleRow>({
      name: 'bw-shadow-recent',
      text: 'SELECT * FROM shadow_samples WHERE shadow = $1 ORDER BY id DESC LIMIT $2',
      values: [shadow, limit],
    });
    return result.rows.map(fromShadowRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return (await this.pool.query('DELETE FROM shadow_samples WHERE at < $1', [at])).rowCount ?? 0;
  }
}
