import type { RouteVector } from '../routing/auto/route-vector.js';

/**
 * One call the cost-aware router routed, as the feedback API needs it later: who made it (the
 * tenant scopes every lookup), the tier chosen and the scorer's vector — hashed n-gram buckets
 * and named features, never prompt text — so a rating can become a training row.
 */
export interface RouteObservation {
  requestId: string;
  tenant: string;
  keyId: string;
  /** The `auto` alias called. */
  alias: string;
  tier: string;
  /** The learned scorer's probability of "hard", when it was asked. */
  probability: number | null;
  vector: RouteVector;
  ts: number;
}

export const feedbackRatings = ['good', 'bad'] as const;
export type FeedbackRating = (typeof feedbackRatings)[number];

/** A caller's verdict on one routed call (POST /v1/feedback). */
export interface RouteFeedback {
  requestId: string;
  tenant: string;
  keyId: string;
  rating: FeedbackRating;
  /** The tier the caller says should have answered; null when not given. */
  shouldHaveBeen: string | null;
  note: string | null;
  ts: number;
}

export interface RatedRoute {
  observation: RouteObservation;
  feedback: RouteFeedback;
}

/**
 * Where routed calls and their ratings live until `breakwater router export-feedback` or
 * `router train --from-feedback` turns them into training rows. Request ids are unique per
 * tenant only (clients may send their own x-request-id), so every lookup names the tenant.
 */
export interface FeedbackStore {
  /** Remembers routed calls; a request id already recorded for the tenant keeps its first row. */
  recordRoutes(observations: readonly RouteObservation[]): Promise<void>;
  /** The routed call with this id in this tenant; undefined for an unknown id or another tenant's. */
  findRoute(tenant: string, requestId: string): Promise<RouteObservation | undefined>;
  /** Stores the rating of a recorded call; a later rating of the same call replaces it. */
  rate(feedback: RouteFeedback): Promise<void>;
  /** Rated calls with their vectors, oldest rating first; all tenants unless one is named. */
  listRated(query: { tenant?: string; since?: number; limit: number }): Promise<RatedRoute[]>;
  /** Forgets calls (and their ratings) recorded before `ts`; returns how many calls. */
  deleteBefore(ts: number): Promise<number>;
}
