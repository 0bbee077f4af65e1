import type { Detection } from '../pii-type.js';
import { ibanValid } from './checksums.js';

/** IBAN length per country (SWIFT IBAN registry), for the countries Breakwater's users write most. */
const ibanLengths: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TN: 24,
  TR: 26,
  UA: 29,
  VG: 24,
  XK: 20,
};

const start = /(?<![A-Za-z0-9])([A-Za-z]{2})(\d{2})/g;

/**
 * IBANs, compact or in groups of four: the country's exact length and the mod-97 check. The
 * length table bounds the match, so a following word ("GB82 WEST … 32 BIC") is not swallowed.
 */
export function detectIbans(text: string): Detection[] {
  const found: Detection[] = [];
  let consumed = 0;
  for (const match of text.matchAll(start)) {
    if (match.index < consumed) continue;
    const length = ibanLengths[match[1]!.toUpperCase()];
    if (length === undefined) continue;
    let compact = match[0].toUpperCase();
    let index = match.index + match[0].length;
    while (compact.length < length && index < text.length) {
      let character = text[index]!;
      if (character === ' ' && /[A-Za-z0-9]/.test(text[index + 1] ?? '')) character = text[++index]!;
      if (!/[A-Za-z0-9]/.test(character)) break;
      compact += character.toUpperCase();
      index++;
    }
    if (compact.length !== length || /[A-Za-z0-9]/.test(text[index] ?? '')) continue;
    if (ibanValid(compact)) {
      found.push({ type: 'IBAN', start: match.index, end: index });
      consumed = index;
    }
  }
  return found;
}
