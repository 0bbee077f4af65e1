import type Database from 'better-sqlite3';
import type { StranglerLedgerEntry, StranglerLedgerRow, StranglerRouteState, StranglerStore, StranglerWindow } from '../../../core/ports/strangler-store.js';
import { fromStranglerRow, type StranglerDecisionRow, type StranglerStateRow, stranglerColumns, stranglerRowValues, toState } from '../strangler-rows.js';
import type { GroupCommit } from './group-commit.js';

const placeholders = stranglerColumns
  .split(',')
  .map(() => '?')
  .join(', ');

/** Strangler routes' ledger and state in the embedded file (one process: the state is that node's). */
export class SqliteStranglerStore implements StranglerStore {
  private readonly s;

  constructor(
    database: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.s = {
      insert: database.prepare(`INSERT INTO strangler_decisions (${stranglerColumns}) VALUES (${placeholders})`),
      state: database.prepare('SELECT rolled_back_at, failure_rate, requests, window_from FROM strangler_state WHERE route = ?'),
      window: database.prepare('SELECT count(*) AS requests, coalesce(sum(ai_failed), 0) AS failures FROM strangler_decisions WHERE route = ? AND at >= ? AND ai_attempted = 1'),
      rollBack: database.prepare(
        `INSERT INTO strangler_state (route, rolled_back_at, failure_rate, requests, window_from) VALUES (?, ?, ?, ?, 0)
         ON CONFLICT (route) DO UPDATE SET rolled_back_at = excluded.rolled_back_at, failure_rate = excluded.failure_rate, requests = excluded.requests
         WHERE strangler_state.rolled_back_at IS NULL`,
      ),
      resume: database.prepare(
        `INSERT INTO strangler_state (route, rolled_back_at, failure_rate, requests, window_from) VALUES (?, NULL, NULL, NULL, ?)
         ON CONFLICT (route) DO UPDATE SET rolled_back_at = NULL, failure_rate = NULL, requests = NULL, window_from = excluded.window_from`,
      ),
      list: database.prepare('SELECT * FROM strangler_decisions WHERE route = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      prune: database.prepare('DELETE FROM strangler_decisions WHERE at < ?'),
    };
  }

  async state(route: string): Promise<StranglerRouteState> {
    return toState(this.s.state.get(route) as StranglerStateRow | undefined);
  }

  async append(row: StranglerLedgerRow): Promise<void> {
    const values = stranglerRowValues(row, false);
    await this.writes.run(() => {
      this.s.insert.run(...values);
    });
  }

  async window(route: string, since: number): Promise<StranglerWindow> {
    const counts = this.s.window.get(route, since) as { requests: number; failures: number };
    return { requests: counts.requests, failures: counts.failures };
  }

  async rollBack(route: string, row: StranglerLedgerRow): Promise<boolean> {
    const values = stranglerRowValues(row, false);
    return this.writes.run(() => {
      const won = this.s.rollBack.run(route, row.at, row.failureRate, row.windowRequests).changes === 1;
      if (won) this.s.insert.run(...values);
      return won;
    });
  }

  async resume(route: string, row: StranglerLedgerRow): Promise<void> {
    const values = stranglerRowValues(row, false);
    await this.writes.run(() => {
      this.s.resume.run(route, row.at);
      this.s.insert.run(...values);
    });
  }

  async list(route: string, query: { limit: number; beforeId?: number }): Promise<StranglerLedgerEntry[]> {
    return (this.s.list.all(route, query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit) as StranglerDecisionRow[]).map(fromStranglerRow);
  }

  async deleteBefore(at: number): Promise<number> {
    return this.writes.run(() => this.s.prune.run(at).changes);
  }
}
