import type pg from 'pg';
import type { FeedbackRating, FeedbackStore, RatedRoute, RouteFeedback, RouteObservation } from '../../../core/ports/feedback-store.js';
import type { RouteVector } from '../../../core/routing/auto/route-vector.js';

interface ObservationRow {
  tenant: string;
  request_id: string;
  key_id: string;
  alias: string;
  tier: string;
  probability: number | null;
  vector: RouteVector;
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

/** Routed calls and their ratings in PostgreSQL (migration 0005), shared by every node. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordRoutes(observations: readonly RouteObservation[]): Promise<void> {
    if (observations.length === 0) return;
    // One statement for the batch: unnest over parallel arrays.
    await this.pool.query(
      `INSERT INTO route_observations (tenant, request_id, key_id, alias, tier, probability, vector, ts)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::double precision[], $7::jsonb[], $8::bigint[])
       ON CONFLICT (tenant, request_id) DO NOTHING`,
      [
        observations.map((row) => row.tenant),
        observations.map((row) => row.requestId),
        observations.map((row) => row.keyId),
        observations.map((row) => row.alias),
        observations.map((row) => row.tier),
        observations.map((row) => row.probability),
        observations.map((row) => JSON.stringify(row.vector)),
        observations.map((row) => row.ts),
      ],
    );
  }

  async findRoute(tenant: string, requestId: string): Promise<RouteObservation | undefined> {
    const result = await this.pool.query<ObservationRow>(`SELECT ${observationColumns} FROM route_observations o WHERE o.tenant = $1 AND o.request_id = $2`, [tenant, requestId]);
    const row = result.rows[0];
    return row ? observationOf(row) : undefined;
  }

  async rate(feedback: RouteFeedback): Promise<void> {
    await this.pool.query(
      `INSERT INTO route_feedback (tenant, request_id, key_id, rating, should_have_been, note, ts) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant, request_id) DO UPDATE SET key_id = excluded.key_id, rating = excluded.rating,
         should_have_been = excluded.should_have_been, note = excluded.note, ts = excluded.ts`,
      [feedback.tenant, feedback.requestId, feedback.keyId, feedback.rating, feedback.shouldHaveBeen, feedback.note, feedback.ts],
    );
  }

  async listRated(query: { tenant?: string; since?: number; limit: number }): Promise<RatedRoute[]> {
    const result = await this.pool.query<RatedRow>(
      `SELECT ${observationColumns}, f.key_id AS feedback_key_id, f.rating, f.should_have_been, f.note, f.ts AS feedback_ts
       FROM route_feedback f JOIN route_observations o ON o.tenant = f.tenant AND o.request_id = f.request_id
       WHERE ($1::text IS NULL OR f.tenant = $1) AND f.ts >= $2 ORDER BY f.ts, f.tenant, f.request_id LIMIT $3`,
      [query.tenant ?? null, query.since ?? 0, query.limit],
    );
    return result.rows.map((row) => ({
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
    const result = await this.pool.query('DELETE FROM route_observations WHERE ts < $1', [ts]);
    return result.rowCount ?? 0;
  }
}

function observationOf(row: ObservationRow): RouteObservation {
  return { requestId: row.request_id, tenant: row.tenant, keyId: row.key_id, alias: row.alias, tier: row.tier, probability: row.probability, vector: row.vector, ts: row.ts };
}
