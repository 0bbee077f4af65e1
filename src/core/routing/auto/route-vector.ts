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
    // The risk domain of the ask, not of what was pasted (a leaflet, a lease): see below.
    ['risk', features.askRiskCues],
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
  // Structure that reads the same in every language, each scaled by length so a long text
  // does not collect cues by size alone.
  const taskCues = features.codeCues.length + features.mathCues.length + features.reasoningCues.length + features.riskCues.length;
  set('pasted material', Math.log1p(features.materialWords) / 6);
  set('risk domain only in pasted material', features.riskCues.filter((name) => !features.askRiskCues.includes(name)).length / 2);
  set('cues only in pasted material', Math.min(Math.max(0, taskCues - features.askCues), 4) / 4);
  set('cues per word of the ask', Math.min(1, features.askCues / Math.sqrt(features.instructionWords + 4)));
  set('questions asked', Math.min(features.questions, 4) / 4);
  set('listed items', Math.min(features.listItems, 8) / 8);
  set('personal situation', features.personal ? 1 : 0);
  set('personal situation in a risk domain', features.personal && features.askRiskCues.length > 0 ? 1 : 0);
  set('tools for a short ask', features.tools > 0 && features.toolChoice !== 'none' && features.instructionWords <= 25 ? 1 : 0);
  // The whole user message is the document the app's schema is filled from (no ask of its own).
  set('schema for pasted text', features.schema && features.systemWords > 0 && features.materialWords === 0 && features.questions === 0 ? 1 : 0);
  set('difficulty score', Math.min(difficulty(features).score, 6) / 3);
  return { named, ngrams: features.ngrams };
}
