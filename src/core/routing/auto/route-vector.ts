import { difficulty } from './difficulty.js';
import type { RouteFeatures } from './features.js';

/**
 * What the learned scorer reads of one request: named features (cues, sizes, structure), each
 * scaled to about 0..1, and the hashed n-gram buckets of the task. It holds no prompt text,
 * so it is what route feedback stores to turn a rating into a training row later.
 */
export interface RouteVector {
  named: Record<string, number>;
  ngrams: number[];
}

/** The explainable features as numbers; only non-zero ones are listed. */
export function routeVector(features: RouteFeatures): RouteVector {
  const named: Record<string, number> = {};
  const set = (name: string, value: number) => {
    if (value !== 0 && Number.isFinite(value)) named[name] = Math.round(value * 10_000) / 10_000;
  };
  for (const [category, names] of [
    ['code', features.codeCues],
    ['maths', features.mathCues],
    ['reasoning', features.reasoningCues],
    ['risk', features.riskCues],
    ['simple task', features.simpleTaskCues],
  ] as const) {
    for (const name of names) set(`${category}: ${name}`, 1);
    set(`${category} cues`, Math.min(names.length, 4) / 4);
  }
  // Sizes are centred on a typical request (12 instruction words, 300 prompt tokens), so a
  // contribution in the reason says "longer (or shorter) than usual", not a constant offset.
  // Under a system prompt the user message is often the material the app's instruction is
  // about (a review to classify, a text to shorten), so its length is its own feature.
  set(features.systemWords > 0 ? 'user words under a system prompt' : 'instruction words', (Math.log1p(features.instructionWords) - Math.log1p(12)) / 2);
  set('system prompt', features.systemWords === 0 ? 0 : Math.log1p(features.systemWords) / 6);
  set('numbers to combine', Math.min(features.numbers, 10) / 10);
  set('stacked requirements', Math.min(features.constraints, 8) / 4);
  set('code earlier in the conversation', features.codeInHistory ? 1 : 0);
  set('response schema', features.schema ? Math.log1p(features.schema.score) / 3 : 0);
  set('tools', features.toolChoice === 'none' ? 0 : Math.log1p(features.tools) / 2);
  set('user turns', Math.log1p(Math.max(0, features.turns - 1)) / 2);
  set('prompt length', (Math.log1p(features.promptTokens) - Math.log1p(300)) / 3);
  set('difficulty score', Math.min(difficulty(features).score, 6) / 3);
  return { named, ngrams: features.ngrams };
}
