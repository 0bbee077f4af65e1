import { z } from 'zod';
import type { RatedRoute } from '../../ports/feedback-store.js';
import type { Result } from '../../result.js';
import type { TokenCounter } from '../../pricing/token-counter.js';
import type { ChatRequest } from '../../../wire/chat.js';
import { extractFeatures } from './features.js';
import { routeVector, type RouteVector } from './route-vector.js';
import type { TrainingExample } from './train-router-model.js';

/**
 * A line of a training file: a labelled request (the shape of bench/routing's dataset and of a
 * user's own labels) or a stored vector (what `router export-feedback` writes). Lines with the
 * same `group` (a request and its paraphrases) stay in one cross-validation fold.
 */
export type TrainingLine = { id?: string | undefined; group?: string | undefined; label: 'easy' | 'hard' } & ({ request: Omit<ChatRequest, 'model'> } | { vector: RouteVector });

const label = z.enum(['easy', 'hard']);
const lineSchema = z.union([
  z
    .object({ id: z.string().optional(), group: z.string().optional(), label, request: z.object({ messages: z.array(z.record(z.string(), z.unknown())).min(1) }).passthrough() })
    .passthrough(),
  z
    .object({
      id: z.string().optional(),
      group: z.string().optional(),
      label,
      vector: z.object({ named: z.record(z.string(), z.number()), ngrams: z.array(z.number().int().nonnegative()) }).strict(),
    })
    .passthrough(),
]);

/** Parses one JSONL line; the error says what a line must hold. */
export function parseTrainingLine(text: string): Result<TrainingLine, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: 'expected {"label": "easy"|"hard", "request": {"messages": [...]}} or {"label", "vector": {"named", "ngrams"}}' };
  return { ok: true, value: parsed.data as TrainingLine };
}

/** The scorer's input for a line, computed as the router computes it at call time. */
export function exampleOf(line: TrainingLine, tokens: TokenCounter, fallbackGroup: string): TrainingExample {
  const group = line.group ?? line.id ?? fallbackGroup;
  if ('vector' in line) return { vector: line.vector, hard: line.label === 'hard', group };
  const request = { ...line.request, model: 'auto' } as ChatRequest;
  const features = extractFeatures(request, { promptTokens: tokens.countChat(request) });
  return { vector: routeVector(features), hard: line.label === 'hard', group };
}

/**
 * Ratings as labels, for two tiers named `small` and `large`: "should have been" wins; a good
 * rating confirms the tier chosen; a bad one says the other tier was needed. Rows about other
 * tiers cannot be labelled easy or hard and are skipped (counted in `skipped`).
 */
export function linesFromFeedback(rated: readonly RatedRoute[]): { lines: TrainingLine[]; skipped: number } {
  const lines: TrainingLine[] = [];
  let skipped = 0;
  for (const { observation, feedback } of rated) {
    const wanted =
      feedback.shouldHaveBeen ?? (feedback.rating === 'good' ? observation.tier : observation.tier === 'small' ? 'large' : observation.tier === 'large' ? 'small' : undefined);
    if (wanted !== 'small' && wanted !== 'large') {
      skipped++;
      continue;
    }
    lines.push({ id: `${observation.tenant}/${observation.requestId}`, label: wanted === 'large' ? 'hard' : 'easy', vector: observation.vector });
  }
  return { lines, skipped };
}
