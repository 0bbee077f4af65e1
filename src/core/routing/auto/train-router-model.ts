import { ngramBuckets } from './hashed-ngrams.js';
import { ngramValue, scoreRoute, type RouterModel } from './router-model.js';
import type { RouteVector } from './route-vector.js';

/** One training row: what the scorer reads and what a person (or feedback) says it needed. */
export interface TrainingExample {
  vector: RouteVector;
  hard: boolean;
  /** Rows sharing a group (repeats, one request's feedback) stay in one cross-validation fold. */
  group: string;
}

export interface TrainOptions {
  /** L2 penalty on named features and on n-gram buckets (these are many and sparse, so stronger). */
  l2Named?: number;
  l2Ngrams?: number;
  iterations?: number;
  /** Share of hard requests the threshold must keep on the large tier, out of fold (default 0.98). */
  hardRecall?: number;
  folds?: number;
  /** Recorded in the model's `trainedOn`. */
  source?: string;
}

const defaults = { l2Named: 0.0005, l2Ngrams: 0.002, iterations: 1_500, hardRecall: 0.98, folds: 5 };

/**
 * Trains a logistic-regression router: full-batch gradient descent with momentum, classes
 * weighted to count equally, L2 on every weight but the bias. Deterministic (no sampling, a
 * fixed order), so the same rows give the same model. The threshold is chosen out of fold: each
 * row is scored by a model trained without its fold, and the threshold is the highest that
 * keeps `hardRecall` of the hard rows on the large tier — an in-sample threshold would be
 * perfect on the training rows and too high on new ones.
 */
export function trainRouterModel(examples: readonly TrainingExample[], options: TrainOptions = {}): RouterModel {
  const settings = { ...defaults, ...options };
  const hard = examples.filter((example) => example.hard).length;
  if (hard === 0 || hard === examples.length) throw new Error(`training needs both easy and hard rows (got ${hard} hard of ${examples.length})`);
  const folds = Math.max(2, Math.min(settings.folds, hard, examples.length - hard));
  const outOfFold: Array<{ probability: number; hard: boolean }> = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (example: TrainingExample) => foldOf(example.group, folds) === fold;
    const model = fit(
      examples.filter((example) => !inFold(example)),
      settings,
      0.5,
    );
    for (const example of examples.filter(inFold)) outOfFold.push({ probability: scoreRoute(model, example.vector).probability, hard: example.hard });
  }
  const threshold = thresholdFor(outOfFold, settings.hardRecall);
  const model = fit(examples, settings, threshold);
  const hardScores = outOfFold.filter((row) => row.hard);
  const easyScores = outOfFold.filter((row) => !row.hard);
  model.trainedOn = {
    ...(settings.source ? { source: settings.source } : {}),
    rows: examples.length,
    hard,
    hardRecallTarget: settings.hardRecall,
    folds,
    l2Named: settings.l2Named,
    l2Ngrams: settings.l2Ngrams,
    // What the threshold does on rows the model had not seen (each fold scored by the others' model).
    outOfFoldHardToSmall: round(hardScores.filter((row) => row.probability < threshold).length / hardScores.length),
    outOfFoldEasyToLarge: round(easyScores.filter((row) => row.probability >= threshold).length / easyScores.length),
  };
  return model;
}

/** The highest threshold at which at least `recall` of the hard rows score at or above it. */
function thresholdFor(scored: Array<{ probability: number; hard: boolean }>, recall: number): number {
  const hardScores = scored
    .filter((row) => row.hard)
    .map((row) => row.probability)
    .sort((a, b) => a - b);
  const allowedMisses = Math.floor(hardScores.length * (1 - recall));
  const threshold = hardScores[allowedMisses] ?? 0.5;
  return Math.min(0.95, Math.max(0.02, Math.round(threshold * 1000) / 1000));
}

function fit(examples: readonly TrainingExample[], settings: typeof defaults, threshold: number): RouterModel {
  const names = [...new Set(examples.flatMap((example) => Object.keys(example.vector.named)))].sort();
  const index = new Map(names.map((name, position) => [name, position]));
  const size = names.length + ngramBuckets;
  // Sparse rows: feature positions and values, built once.
  const rows = examples.map((example) => {
    const positions: number[] = [];
    const values: number[] = [];
    for (const [name, value] of Object.entries(example.vector.named)) {
      positions.push(index.get(name)!);
      values.push(value);
    }
    const each = ngramValue(example.vector);
    for (const bucket of example.vector.ngrams) {
      positions.push(names.length + bucket);
      values.push(each);
    }
    return { positions, values, target: example.hard ? 1 : 0 };
  });
  // Only features some row has can move off zero; the rest of the 16 K buckets are skipped.
  const active = Uint32Array.from(new Set(rows.flatMap((row) => row.positions))).sort();
  const hardCount = rows.filter((row) => row.target === 1).length;
  const rowWeight = (target: number) => (target === 1 ? rows.length / (2 * hardCount) : rows.length / (2 * (rows.length - hardCount))) / rows.length;
  const weights = new Float64Array(size);
  const velocity = new Float64Array(size);
  const gradient = new Float64Array(size);
  let bias = 0;
  let biasVelocity = 0;
  const rate = 0.5;
  const momentum = 0.9;
  for (let iteration = 0; iteration < settings.iterations; iteration++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (const row of rows) {
      let z = bias;
      for (let k = 0; k < row.positions.length; k++) z += weights[row.positions[k]!]! * row.values[k]!;
      const error = (1 / (1 + Math.exp(-z)) - row.target) * rowWeight(row.target);
      biasGradient += error;
      for (let k = 0; k < row.positions.length; k++) gradient[row.positions[k]!]! += error * row.values[k]!;
    }
    for (const position of active) {
      const weight = weights[position]!;
      const penalty = position < names.length ? settings.l2Named : settings.l2Ngrams;
      velocity[position] = momentum * velocity[position]! - rate * (gradient[position]! + penalty * weight);
      weights[position] = weight + velocity[position]!;
    }
    biasVelocity = momentum * biasVelocity - rate * biasGradient;
    bias += biasVelocity;
  }
  const named: Record<string, number> = {};
  names.forEach((name, position) => {
    const weight = round(weights[position]!);
    if (weight !== 0) named[name] = weight;
  });
  const ngrams: Record<string, number> = {};
  for (let bucket = 0; bucket < ngramBuckets; bucket++) {
    const weight = round(weights[names.length + bucket]!);
    if (weight !== 0) ngrams[String(bucket)] = weight;
  }
  return { version: 1, buckets: ngramBuckets, bias: round(bias), threshold, named, ngrams };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** A stable fold per group (FNV-1a of its name). */
function foldOf(group: string, folds: number): number {
  let hash = 0x811c9dc5;
  for (let position = 0; position < group.length; position++) {
    hash ^= group.charCodeAt(position);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % folds;
}
