import type { Detection } from '../pii-type.js';
import { dniValid, verhoeffValid } from './checksums.js';

const ssnFormatted = /(?<![\d-])(\d{3})([- ])(\d{2})\2(\d{4})(?![\d-])/g;
const ssnCompact = /(?<!\d)(\d{9})(?!\d)/g;
const ssnContext = /\b(?:ssn|social security(?: number| no\.?| #)?|tin|itin)\b[^\n\d]{0,20}$/i;
const ninoPattern = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/gi;
const ninoForbiddenPrefixes = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const aadhaarPattern = /(?<![\d-])([2-9]\d{3})([ -]?)(\d{4})\2(\d{4})(?![\d-])/g;
// 12345678Z, 12345678-Z, 12.345.678-Z, X1234567L, X-1234567-L.
const dniPattern = /(?<![A-Za-z0-9.])(\d{8}|\d{2}\.\d{3}\.\d{3}|[XYZxyz][- ]?\d{7})[- ]?([A-Za-z])(?![A-Za-z0-9])/g;

// Labels of the twelve-digit references Indian payments and bookings print ("UPI ref", "UTR", "PNR").
const referenceBefore =
  /(?<![\p{L}])(?:ref|reference|utr|upi|rrn|txn|transaction|order|invoice|tracking|awb|booking|pnr|ticket|policy|serial|account|a\/c|folio|imps|neft|rtgs)\b[^\d\n]{0,20}$/iu;

/** SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000. */
function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

/** US SSNs written 123-45-6789 or 123 45 6789, or nine bare digits right after "SSN". */
export function detectSsns(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(ssnFormatted)) {
    if (ssnValid(match[1]!, match[3]!, match[4]!)) found.push({ type: 'SSN', start: match.index, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(ssnCompact)) {
    const digits = match[1]!;
    if (ssnValid(digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)) && ssnContext.test(text.slice(Math.max(0, match.index - 40), match.index))) {
      found.push({ type: 'SSN', start: match.index, end: match.index + digits.length });
    }
  }
  return found;
}

/** UK National Insurance numbers (HMRC prefix rules; suffix A-D). */
export function detectNinos(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(ninoPattern)) {
    if (!ninoForbiddenPrefixes.has(match[1]!.toUpperCase())) found.push({ type: 'NINO', start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Indian Aadhaar numbers: 12 digits, not starting 0 or 1, Verhoeff check digit. */
export function detectAadhaars(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(aadhaarPattern)) {
    // Dashed twelve-digit numbers are mostly references; only with the word Aadhaar nearby.
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    if (match[2] === '-' && !/aadhaa?r|\buid\b|आधार/i.test(before)) continue;
    // One random twelve-digit number in ten passes Verhoeff: after a reference label it is a reference.
    if (referenceBefore.test(before)) continue;
    if (verhoeffValid(match[1]! + match[3]! + match[4]!)) found.push({ type: 'AADHAAR', start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** Spanish DNI and NIE numbers with their mod-23 check letter. */
export function detectDnis(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(dniPattern)) {
    const compact = (match[1]! + match[2]!).replace(/[-. ]/g, '').toUpperCase();
    if (dniValid(compact)) found.push({ type: 'DNI', start: match.index, end: match.index + match[0].length });
  }
  return found;
}
