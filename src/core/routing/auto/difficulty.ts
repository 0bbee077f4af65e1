import { cueWeights } from './cues.js';
import type { RouteFeatures } from './features.js';

/** One reason a request looks hard, with the points it adds. */
export interface DifficultySignal {
  label: string;
  points: number;
}

export interface Difficulty {
  score: number;
  /** Largest first; empty when nothing points to a hard request. */
  signals: DifficultySignal[];
}

/** A category's cues add up to this much, so ten maths words do not outvote everything else. */
const categoryCap = 3;

/**
 * A transparent difficulty score: the weighted cues of each category (cues.ts), plus points
 * for structure that small models get wrong more often — a large response schema, many
 * tools, a long conversation, a very long prompt. Every point comes with a label, and the
 * labels are the route reason.
 */
export function difficulty(features: RouteFeatures): Difficulty {
  const signals: DifficultySignal[] = [];
  const cues = (category: string, names: string[]) => {
    const points = Math.min(
      categoryCap,
      names.reduce((sum, name) => sum + (cueWeights.get(name) ?? 0), 0),
    );
    if (points > 0) signals.push({ label: `${category} cues (${names.join(', ')})`, points });
  };
  cues('code', features.codeCues);
  cues('maths', features.mathCues);
  cues('reasoning', features.reasoningCues);
  // The risk domain of the ask: a pasted leaflet's health words do not make "how do I store it?" a judgement.
  cues('risk', features.askRiskCues);
  if (features.constraints >= 3) signals.push({ label: `${features.constraints} stacked requirements`, points: features.constraints >= 5 ? 2 : 1 });
  if (features.instructionWords >= 45) signals.push({ label: `long instructions (${features.instructionWords} words)`, points: features.instructionWords >= 90 ? 2 : 1 });
  if (features.numbers >= 4) signals.push({ label: `${features.numbers} numbers to combine`, points: 1 });
  if (features.codeInHistory) signals.push({ label: 'code earlier in the conversation', points: 1 });
  const schema = features.schema;
  if (schema && schema.score > 12) {
    signals.push({
      label: `response schema (${schema.properties} fields, depth ${schema.depth}, ${schema.enums} enums, ${schema.arrays} arrays)`,
      points: schema.score > 20 ? 2 : 1,
    });
  }
  if (features.tools >= 4 && features.toolChoice !== 'none') signals.push({ label: `${features.tools} tools`, points: features.tools >= 8 ? 2 : 1 });
  if (features.turns >= 6) signals.push({ label: `${features.turns} user turns`, points: features.turns >= 12 ? 2 : 1 });
  if (features.promptTokens >= 4000) signals.push({ label: `${formatCount(features.promptTokens)} prompt tokens`, points: features.promptTokens >= 12_000 ? 2 : 1 });
  signals.sort((a, b) => b.points - a.points);
  return { score: signals.reduce((sum, signal) => sum + signal.points, 0), signals };
}

/** 12,345: thousands separated by commas (as en-US writes them, without loading Intl's locale data, ~25 ms on first use, inside a request). */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
