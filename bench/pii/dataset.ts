import { piiTypes, type PiiType } from '../../src/core/pii/pii-type.js';
import { englishIndia, englishUk, englishUs } from './sentences-en.js';
import { dutchBelgianSwiss, french, german, italian, spanish } from './sentences-eu.js';
import { generaliseByLocale } from './sentences-generalise.js';
import { heldOut } from './sentences-held-out.js';
import { chatWithoutPii, logsAndCode } from './sentences-logs.js';
import { round4ByLocale } from './sentences-round4.js';
import { round4SecondByLocale } from './sentences-round4b.js';
import { round4ThirdByLocale } from './sentences-round4c.js';
import { round4FourthByLocale } from './sentences-round4d.js';
import { wideByLocale } from './sentences-wide.js';

export interface ExpectedSpan {
  type: PiiType;
  value: string;
  start: number;
  end: number;
}

export interface LabelledSentence {
  locale: string;
  text: string;
  expected: ExpectedSpan[];
}

const markup = /\[\[([A-Z]+):([\s\S]*?)\]\]/g;

/** Turns `call [[PHONE:020 7946 0958]]` into the plain text and its expected spans. */
export function parseLabelled(locale: string, source: string): LabelledSentence {
  const expected: ExpectedSpan[] = [];
  let text = '';
  let cursor = 0;
  for (const match of source.matchAll(markup)) {
    const type = match[1] as PiiType;
    if (!piiTypes.includes(type)) throw new Error(`unknown type ${type} in: ${source}`);
    text += source.slice(cursor, match.index);
    const value = match[2]!;
    expected.push({ type, value, start: text.length, end: text.length + value.length });
    text += value;
    cursor = match.index + match[0].length;
  }
  return { locale, text: text + source.slice(cursor), expected };
}

const groups: Record<string, readonly string[]> = {
  'en-US': englishUs,
  'en-GB': englishUk,
  'en-IN': englishIndia,
  'de-DE': german,
  'fr-FR': french,
  'es-ES': spanish,
  'it-IT': italian,
  'nl/be/at/ch': dutchBelgianSwiss,
  'logs & code': logsAndCode,
  'chat, no PII': chatWithoutPii,
  ...generaliseByLocale,
  ...wideByLocale,
  ...round4ByLocale,
  ...round4SecondByLocale,
  ...round4ThirdByLocale,
  ...round4FourthByLocale,
};

/** The sentences the detectors were developed against. */
export const labelledSentences: readonly LabelledSentence[] = Object.entries(groups).flatMap(([locale, sentences]) => sentences.map((source) => parseLabelled(locale, source)));

/** Written after tuning and never tuned on; reported on its own. */
export const heldOutSentences: readonly LabelledSentence[] = heldOut.map((source) => parseLabelled('held out (mixed)', source));
