import type pg from 'pg';
import type { StranglerLedgerEntry, StranglerLedgerRow, StranglerRouteState, StranglerStore, StranglerWindow } from '../../../core/ports/strangler-store.js';
import { fromStranglerRow, type StranglerDecisionRow, type StranglerStateRow, stranglerColumns, stranglerRowValues, toState } from '../strangler-rows.js';
import { withTransaction } from './with-transaction.js';

const insert = `INSERT INTO strangler_decisions (${stranglerColumns}) VALUES (${stranglerColumns
  .split(',')
  .map((_, index) => `$${index + 1}`)
  .join(', ')})`;

/**
 * Strangler routes' ledger and state in PostgreSQL: every node counts the same window and
 * reads the same rollback, so a route rolls back (and resumes) for the whole cluster at once.
 */
export class PostgresStranglerStore implements StranglerStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly reads: pg.Pool,
  ) {}

  async state(route: string): Promise<StranglerRouteState> {
    const result = await this.reads.query<StranglerStateRow>({
      name: 'bw-strangler-state',
      text: 'SELECT rolled_back_at, failure_rate, requests, window_from FROM strangler_state WHERE route = $1',
      values: [route],
    });
    return toState(result.rows[0]);
  }

  async append(row: StranglerLedgerRow): Promise<void> {
    await this.pool.query({ name: 'bw-strangler-insert', text: insert, values: stranglerRowValues(row, true) });
  }

  async window(route: string, since: number): Promise<StranglerWindow> {
    // On the main pool: the count must see the rows this node has just written.
    const result = await this.pool.query<{ requests: number; failures: number }>({
      name: 'bw-strangler-window',
      text: `SELECT count(*) AS requests, count(*) FILTER (WHERE ai_failed) AS failures
             FROM strangler_decisions WHERE route = $1 AND at >= $2 AND ai_attempted`,
      values: [route, since],
    });
    return { requests: Number(result.rows[0]!.requests), failures: Number(result.rows[0]!.failures) };
  }

  async rollBack(route: string, row: StranglerLedgerRow): Promise<boolean> {
    return withTransaction(this.pool, async (client) => {
      const marked = await client.query(
        `INSERT INTO strangler_state (route, rolled_back_at, failure_rate, requests, window_from) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (route) DO UPDATE SET rolled_back_at = excluded.rolled_back_at, failure_rate = excluded.failure_rate, requests = excluded.requests
         WHERE strangler_state.rolled_back_at IS NULL`,
        [route, row.at, row.failureRate, row.windowRequests],
      );
      if (marked.rowCount !== 1) return false;
      await client.query(insert, stranglerRowValues(row, true));
      return true;
    });
  }

  async resume(route: string, row: StranglerLedgerRow): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO strangler_state (route, rolled_back_at, failure_rate, requests, window_from) VALUES ($1, NULL, NULL, NULL, $2)
         ON CONFLICT (route) DO UPDATE SET rolled_back_at = NULL, failure_rate = NULL, requests = NULL, window_from = excluded.window_from`,
        [route, row.at],
      );
      await client.query(insert, stranglerRowValues(row, true));
    });
  }

  async list(route: string, query: { limit: number; beforeId?: number }): Promise<StranglerLedgerEntry[]> {
    const result = await this.reads.query<StranglerDecisionRow>({
      name: 'bw-strangler-list',
      text: 'SELECT * FROM strangler_decisions WHERE route = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
      values: [route, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit],
    });
    return result.rows.map(fromStranglerRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return (await this.pool.query('DELETE FROM strangler_decisions WHERE at < $1', [at])).rowCount ?? 0;
  }
}
