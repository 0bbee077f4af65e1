import type Database from 'better-sqlite3';
import type { FeedbackRating, FeedbackStore, RatedRoute, RouteFeedback, RouteObservation } from '../../../core/ports/feedback-store.js';

interface ObservationRow {
  tenant: string;
  request_id: string;
  key_id: string;
  alias: string;
  tier: string;
  probability: number | null;
  vector: string;
  ts: number;
}

interface RatedRow extends ObservationRow {
  feedback_key_id: string;
  rating: FeedbackRating;
  should_have_been: string | null;
  note: string | null;
  feedback_ts: number;
}

const observationColumns = 'o.tenant, o.request_id, o.key_id, o.alias, o.tier, o.probability, o.vector, o.ts';

/** Routed calls and their ratings in the embedded SQLite file (migration 0006). */
export class SqliteFeedbackStore implements FeedbackStore {
  constructor(private readonly database: Database.Database) {}

  async recordRoutes(observations: readonly RouteObservation[]): Promise<void> {
    const insert = this.database.prepare(
      `INSERT INTO route_observations (tenant, request_id, key_id, alias, tier, probability, vector, ts)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, request_id) DO NOTHING`,
    );
    this.database.transaction(() => {
      for (const row of observations) insert.run(row.tenant, row.requestId, row.keyId, row.alias, row.tier, row.probability, JSON.stringify(row.vector), row.ts);
    })();
  }

  async findRoute(tenant: string, requestId: string): Promise<RouteObservation | undefined> {
    const row = this.database.prepare(`SELECT ${observationColumns} FROM route_observations o WHERE o.tenant = ? AND o.request_id = ?`).get(tenant, requestId) as
      | ObservationRow
      | undefined;
    return row ? observationOf(row) : undefined;
  }

  async rate(feedback: RouteFeedback): Promise<void> {
    this.database
      .prepare(
        `INSERT INTO route_feedback (tenant, request_id, key_id, rating, should_have_been, note, ts) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (tenant, request_id) DO UPDATE SET key_id = excluded.key_id, rating = excluded.rating,
           should_have_been = excluded.should_have_been, note = excluded.note, ts = excluded.ts`,
      )
      .run(feedback.tenant, feedback.requestId, feedback.keyId, feedback.rating, feedback.shouldHaveBeen, feedback.note, feedback.ts);
  }

  async listRated(query: { tenant?: string; since?: number; limit: number }): Promise<RatedRoute[]> {
    const rows = this.database
      .prepare(
        `SELECT ${observationColumns}, f.key_id AS feedback_key_id, f.rating, f.should_have_been, f.note, f.ts AS feedback_ts
         FROM route_feedback f JOIN route_observations o ON o.tenant = f.tenant AND o.request_id = f.request_id
         WHERE (? IS NULL OR f.tenant = ?) AND f.ts >= ? ORDER BY f.ts, f.tenant, f.request_id LIMIT ?`,
      )
      .all(query.tenant ?? null, query.tenant ?? null, query.since ?? 0, query.limit) as RatedRow[];
    return rows.map((row) => ({
      observation: observationOf(row),
      feedback: {
        requestId: row.request_id,
        tenant: row.tenant,
        keyId: row.feedback_key_id,
        rating: row.rating,
        shouldHaveBeen: row.should_have_been,
        note: row.note,
        ts: row.feedback_ts,
      },
    }));
  }

  async deleteBefore(ts: number): Promise<number> {
    return this.database.prepare('DELETE FROM route_observations WHERE ts < ?').run(ts).changes;
  }
}

function observationOf(row: ObservationRow): RouteObservation {
  return {
    requestId: row.request_id,
    tenant: row.tenant,
    keyId: row.key_id,
    alias: row.alias,
    tier: row.tier,
    probability: row.probability,
    vector: JSON.parse(row.vector),
    ts: row.ts,
  };
}
