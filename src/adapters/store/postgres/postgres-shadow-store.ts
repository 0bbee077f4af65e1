import type pg from 'pg';
import type { ShadowSample, ShadowStore } from '../../../core/ports/shadow-store.js';
import { fromShadowRow, type ShadowSampleRow, shadowColumns, shadowRowValues } from '../shadow-rows.js';

/** Shadow samples in PostgreSQL: every node appends, any node reports. */
export class PostgresShadowStore implements ShadowStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
  ) {}

  async append(sample: ShadowSample): Promise<void> {
    await this.pool.query({
      name: 'bw-shadow-insert',
      text: `INSERT INTO shadow_samples (${shadowColumns}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13::jsonb, $14)`,
      values: shadowRowValues(sample),
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
