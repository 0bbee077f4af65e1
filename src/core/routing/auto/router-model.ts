import { z } from 'zod';
import { formatPath } from '../../errors/format-path.js';
import type { Result } from '../../result.js';
import { ngramBuckets } from './hashed-ngrams.js';
import type { RouteVector } from './route-vector.js';

/**
 * A learned router: logistic regression over a RouteVector. `threshold` is the probability
 * of "hard" at and above which the large tier answers; training picks it (router train).
 */
export interface RouterModel {
  version: 1;
  buckets: number;
  bias: number;
  threshold: number;
  /** Weight of each named feature; a name not listed weighs 0. */
  named: Record<string, number>;
  /** Weight of each n-gram bucket, keyed by bucket number. */
  ngrams: Record<string, number>;
  /** How and on what it was trained (shown by `router train`, never read by the scorer). */
  trainedOn?: Record<string, string | number> | undefined;
}

/** One feature's push towards "hard" (positive) or "easy" (negative). */
export interface Contribution {
  feature: string;
  weight: number;
}

export interface RouteScore {
  /** Probability that the request is hard, 0..1. */
  probability: number;
  /** Largest push towards hard first; the n-grams count as one feature, `wording`. */
  contributions: Contribution[];
}

const modelSchema = z
  .object({
    version: z.literal(1),
    buckets: z.literal(ngramBuckets),
    bias: z.number(),
    threshold: z.number().gt(0).lt(1),
    named: z.record(z.string(), z.number()),
    ngrams: z.record(z.string().regex(/^\d+$/), z.number()),
    trainedOn: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .strict();

/** Validates a model file's parsed JSON; errors name the path. */
export function parseRouterModel(raw: unknown): Result<RouterModel, string[]> {
  const parsed = modelSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.length === 0 ? '(top level)' : formatPath(issue.path)}: ${issue.message}`) };
}

/** The n-gram buckets weigh 1/√n each, so a long task's wording counts no more than a short one's. */
export function ngramValue(vector: RouteVector): number {
  return vector.ngrams.length === 0 ? 0 : 1 / Math.sqrt(vector.ngrams.length);
}

/** Scores one vector: linear in its size (a few dozen named features, at most a few thousand buckets). */
export function scoreRoute(model: RouterModel, vector: RouteVector): RouteScore {
  let total = model.bias;
  const contributions: Contribution[] = [];
  for (const [name, value] of Object.entries(vector.named)) {
    const weight = (model.named[name] ?? 0) * value;
    if (weight === 0) continue;
    total += weight;
    contributions.push({ feature: name, weight });
  }
  const each = ngramValue(vector);
  let wording = 0;
  for (const bucket of vector.ngrams) wording += (model.ngrams[bucket] ?? 0) * each;
  if (wording !== 0) {
    total += wording;
    contributions.push({ feature: 'wording', weight: wording });
  }
  contributions.sort((a, b) => b.weight - a.weight);
  return { probability: 1 / (1 + Math.exp(-total)), contributions };
}
