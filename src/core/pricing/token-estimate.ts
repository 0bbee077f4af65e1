import { countExactly, isHighSurrogate } from './exact-count.js';

/** Code units counted per sample: 32 of them fill the per-call budget of 16 K. */
const sampleLength = 512;

/**
 * Estimates the tokens of texts too long to count within `budget` code units: one sample in
 * each of 32-ish equal stretches of all of them, at a random place in its stretch, is
 * counted exactly and the total scaled to the whole length, 2% high. Uniform text (prose,
 * code, base64, runs) comes out within a few percent. The places are random so that text
 * cannot be laid out to put its cheapest parts under the samples; and the result is never
 * below `floorEstimate`, which sees every character.
 */
export function estimateTokens(texts: readonly string[], budget: number): number {
  let length = 0;
  for (const text of texts) length += text.length;
  if (length === 0) return 0;
  const samples = Math.max(1, Math.floor(budget / sampleLength));
  const stride = length / samples;
  let sampledTokens = 0;
  let sampledLength = 0;
  let floor = 0;
  let offset = 0;
  // The place of sample i over all the texts together, drawn before the text holding it is known:
  // drawn per text, a place past that text's end was skipped, and with many texts shorter than a
  // stretch most samples were lost (none at all about one call in four, leaving only the floor).
  const placeOf = (index: number) => Math.floor(index * stride + Math.random() * Math.max(0, stride - sampleLength));
  let sample = 0;
  let place = placeOf(0);
  for (const text of texts) {
    floor += floorEstimate(text);
    while (sample < samples && place < offset + text.length) {
      let start = place - offset;
      if (start > 0 && isHighSurrogate(text.charCodeAt(start - 1))) start++;
      let end = Math.min(text.length, start + sampleLength);
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      if (start < text.length && end > start) {
        sampledTokens += countExactly(text.slice(start, end));
        sampledLength += end - start;
      }
      place = placeOf(++sample);
    }
    offset += text.length;
  }
  const scaled = sampledLength === 0 ? 0 : Math.ceil((sampledTokens / sampledLength) * length * 1.02);
  return Math.max(scaled, floor);
}

/**
 * A count no text falls far below, from one pass over its characters: a token per three
 * digits (o200k splits numbers so), a third of one per character beyond Latin (CJK is about
 * one per character, an emoji one or more), and one per word or run of punctuation (each
 * starts a new piece of the pre-tokenizer, and a piece is at least one token). It reads every
 * code unit, so it goes through a table: ~1.5 ns a unit instead of ~6 with branches.
 */
export function floorEstimate(text: string): number {
  let pieces = 0;
  let digits = 0;
  let wide = 0;
  let previous = space;
  for (let index = 0; index < text.length; index++) {
    const kind = kinds[text.charCodeAt(index)]!;
    if (kind === digit) digits++;
    else if (kind === other) wide++;
    if (kind !== space && kind !== previous && kind !== continuation) pieces++;
    if (kind !== continuation) previous = kind;
  }
  return Math.max(pieces, Math.ceil(digits / 3) + Math.ceil(wide / 3));
}

const digit = 1;
const letter = 2;
const space = 3;
const punctuation = 4;
const other = 5;
/** The second half of a surrogate pair: part of the character before it. */
const continuation = 6;

const kinds = new Uint8Array(0x10000);
for (let code = 0; code < kinds.length; code++) {
  if (code >= 0x30 && code <= 0x39) kinds[code] = digit;
  else if (((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) || (code >= 0xc0 && code <= 0x24f && code !== 0xd7 && code !== 0xf7)) kinds[code] = letter;
  else if (code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d) kinds[code] = space;
  else if (code < 0x100) kinds[code] = punctuation;
  else if (code >= 0xdc00 && code <= 0xdfff) kinds[code] = continuation;
  else kinds[code] = other;
}
