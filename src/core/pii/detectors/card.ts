import type { Detection } from '../pii-type.js';
import { luhnValid } from './checksums.js';

// Groups of digits with one consistent separator (or none), 13 to 19 digits in all, and not
// the first 16 digits of a longer run such as a 26-digit parcel number. After a "+" it is a phone.
const candidate = /(?<![\d.,+-]|\d[ -])\d(?:[ -]?\d){12,18}(?![ -]?\d|-|[.,]\d)/g;

/** Issuer prefixes and lengths: Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro. */
function plausibleIssuer(digits: string): boolean {
  const length = digits.length;
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if (digits[0] === '4') return length === 13 || length === 16 || length === 19;
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return length === 16;
  if (two === 34 || two === 37) return length === 15;
  if (digits.startsWith('6011') || two === 65 || (four >= 6440 && four <= 6499)) return length >= 16;
  if (two === 35) return length >= 16;
  if (two === 36 || two === 38 || (four >= 3000 && four <= 3059)) return length >= 14;
  if (two === 62) return length >= 16;
  if (two === 50 || (two >= 56 && two <= 69)) return length >= 12;
  return false;
}

/**
 * Cards are printed in fours (the last group shorter on 13- and 19-digit cards) or 4-6-5 / 4-6-4
 * (Amex, Diners); "302-5566778-1234567" is an order number whatever its Luhn digit says.
 */
function cardGrouping(value: string): boolean {
  const groups = value.split(/[ -]/).map((group) => group.length);
  if (groups.length === 1) return true;
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && (groups[2] === 5 || groups[2] === 4)) return true;
  return groups.slice(0, -1).every((length) => length === 4) && groups.at(-1)! >= 1 && groups.at(-1)! <= 4;
}

/** Payment card numbers: a known issuer prefix and length, and a valid Luhn check digit. */
export function detectCards(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(candidate)) {
    const value = match[0];
    const separators = new Set(value.replace(/\d/g, ''));
    if (separators.size > 1 || !cardGrouping(value)) continue;
    const digits = value.replace(/\D/g, '');
    if (plausibleIssuer(digits) && luhnValid(digits)) found.push({ type: 'CARD', start: match.index, end: match.index + value.length });
  }
  return found;
}
