import type { Detection, PiiType } from '../../src/core/pii/pii-type.js';
import type { LabelledSentence } from './dataset.js';

export interface TypeScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface Mistake {
  kind: 'missed' | 'spurious';
  type: PiiType;
  value: string;
  text: string;
}

/**
 * Scores detections against labels. `exact`: same type and the same span. Otherwise a
 * detection counts when it overlaps a label of its type (each label matched once) — the
 * lenient view for names and addresses, whose boundaries are a matter of convention.
 */
export function score(sentences: readonly LabelledSentence[], detect: (text: string) => Detection[], exact = true) {
  const byType = new Map<PiiType, TypeScore>();
  const mistakes: Mistake[] = [];
  const entry = (type: PiiType) => {
    let found = byType.get(type);
    if (!found) byType.set(type, (found = { truePositives: 0, falsePositives: 0, falseNegatives: 0 }));
    return found;
  };
  for (const sentence of sentences) {
    const detections = detect(sentence.text);
    const matched = new Set<number>();
    for (const detection of detections) {
      const index = sentence.expected.findIndex(
        (label, labelIndex) =>
          !matched.has(labelIndex) &&
          label.type === detection.type &&
          (exact ? label.start === detection.start && label.end === detection.end : label.start < detection.end && detection.start < label.end),
      );
      if (index >= 0) {
        matched.add(index);
        entry(detection.type).truePositives++;
      } else {
        entry(detection.type).falsePositives++;
        mistakes.push({ kind: 'spurious', type: detection.type, value: sentence.text.slice(detection.start, detection.end), text: sentence.text });
      }
    }
    sentence.expected.forEach((label, index) => {
      if (matched.has(index)) return;
      entry(label.type).falseNegatives++;
      mistakes.push({ kind: 'missed', type: label.type, value: label.value, text: sentence.text });
    });
  }
  return { byType, mistakes };
}

export function sum(scores: Iterable<TypeScore>): TypeScore {
  const total = { truePositives: 0, falsePositives: 0, falseNegatives: 0 };
  for (const one of scores) {
    total.truePositives += one.truePositives;
    total.falsePositives += one.falsePositives;
    total.falseNegatives += one.falseNegatives;
  }
  return total;
}

export const recall = (one: TypeScore) => (one.truePositives + one.falseNegatives === 0 ? 1 : one.truePositives / (one.truePositives + one.falseNegatives));
export const precision = (one: TypeScore) => (one.truePositives + one.falsePositives === 0 ? 1 : one.truePositives / (one.truePositives + one.falsePositives));
