import type { Detection, PiiType } from '../../src/core/pii/pii-type.js';
import type { LabelledSentence } from './dataset.js';

export interface Tally {
  caught: number;
  total: number;
}

export interface LeakScore {
  /** Labels whose every non-space character was inside some detection (of any type): the value never reached the upstream. */
  byType: Map<PiiType, Tally>;
  /** The same, per locale, for structured types and names. */
  structuredByLocale: Map<string, Tally>;
  namesByLocale: Map<string, Tally>;
  /** Lines with no label, and those of them the scan changed. */
  clean: Tally;
  cleanByLocale: Map<string, Tally>;
  /** Detections over no label at all, per type (a count, never the text). */
  spuriousByType: Map<PiiType, number>;
  /** Labels found with their exact type and span, as the dev table counts them. */
  exactStructured: Tally;
}

const isStructured = (type: PiiType) => type !== 'NAME' && type !== 'ADDRESS';
const add = <Key>(map: Map<Key, Tally>, key: Key, caught: boolean) => {
  const tally = map.get(key) ?? { caught: 0, total: 0 };
  tally.total++;
  if (caught) tally.caught++;
  map.set(key, tally);
};

/**
 * Scores a scan the way a user meets it: did the value reach the upstream, and was a line
 * without personal data changed. The type a value was found as does not matter here (a phone
 * redacted as an id is still not sent); bench/pii/score.ts keeps the exact view.
 */
export function leakScore(sentences: readonly LabelledSentence[], detect: (text: string) => Detection[]): LeakScore {
  const score: LeakScore = {
    byType: new Map(),
    structuredByLocale: new Map(),
    namesByLocale: new Map(),
    clean: { caught: 0, total: 0 },
    cleanByLocale: new Map(),
    spuriousByType: new Map(),
    exactStructured: { caught: 0, total: 0 },
  };
  for (const sentence of sentences) {
    const detections = detect(sentence.text);
    const covered = new Uint8Array(sentence.text.length);
    for (const detection of detections) covered.fill(1, detection.start, detection.end);
    if (sentence.expected.length === 0) {
      const altered = detections.length > 0;
      score.clean.total++;
      if (altered) score.clean.caught++;
      add(score.cleanByLocale, sentence.locale, altered);
    }
    for (const label of sentence.expected) {
      let caught = true;
      for (let index = label.start; index < label.end && caught; index++) caught = covered[index] === 1 || /\s/.test(sentence.text[index]!);
      add(score.byType, label.type, caught);
      if (isStructured(label.type)) {
        add(score.structuredByLocale, sentence.locale, caught);
        score.exactStructured.total++;
        if (detections.some((detection) => detection.type === label.type && detection.start === label.start && detection.end === label.end)) score.exactStructured.caught++;
      }
      if (label.type === 'NAME') add(score.namesByLocale, sentence.locale, caught);
    }
    for (const detection of detections) {
      if (sentence.expected.some((label) => label.start < detection.end && detection.start < label.end)) continue;
      score.spuriousByType.set(detection.type, (score.spuriousByType.get(detection.type) ?? 0) + 1);
    }
  }
  return score;
}

export function total(map: Map<unknown, Tally>, keep: (key: PiiType) => boolean = () => true): Tally {
  const sum = { caught: 0, total: 0 };
  for (const [key, tally] of map) {
    if (!keep(key as PiiType)) continue;
    sum.caught += tally.caught;
    sum.total += tally.total;
  }
  return sum;
}

export const rate = (tally: Tally) => (tally.total === 0 ? Number.NaN : tally.caught / tally.total);
export { isStructured };
