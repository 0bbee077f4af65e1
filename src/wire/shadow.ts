/** GET /v1/shadow/:name/report: how a shadow's candidate compares with the primary over its recent samples. */
export interface WireShadowReport {
  object: 'shadow.report';
  name: string;
  target: Record<string, unknown>;
  candidate: Record<string, unknown>;
  samples: number;
  compared: number;
  candidate_errors: number;
  /** Agreeing field comparisons over all comparisons (or agreeing texts over texts); null before any sample. */
  agreement: number | null;
  /** Share of samples whose every field (or whose text) agreed. */
  full_agreement: number | null;
  fields: Array<{ path: string; agreement: number; comparisons: number }>;
  text: { mean_similarity: number; mean_length_ratio: number; samples: number } | null;
  latency_ms: { primary_p50: number; candidate_p50: number; delta_p50: number } | null;
  cost_usd: { primary_mean: number; candidate_mean: number; delta_mean: number } | null;
  /** Newest first; personal data masked. */
  disagreements: Array<{ request_id: string; at: number; fields: string[]; primary: string; candidate: string }>;
  recommendation: { action: 'promote' | 'keep-shadowing' | 'do-not-promote'; reasons: string[] };
}
