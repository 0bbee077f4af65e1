import type { CountryCode } from 'libphonenumber-js/max';
import { detectAddressesByRules } from './detectors/address.js';
import { detectCards } from './detectors/card.js';
import { detectEmails } from './detectors/email.js';
import { detectIbans } from './detectors/iban.js';
import { detectIps } from './detectors/ip.js';
import { detectNamesByRules } from './detectors/name.js';
import { detectAadhaars, detectDnis, detectNinos, detectSsns } from './detectors/national-id.js';
import { detectBsns, detectCodiciFiscali, detectCpfs, detectNirs, detectPersonnummer, detectPesels, detectSteuerIds } from './detectors/national-id-eu.js';
import { detectNamesByNlp } from './detectors/nlp-names.js';
import { detectPhones, type PhoneBudget } from './detectors/phone.js';
import { detectSecrets } from './detectors/secret.js';
import { piiTypes, type Detection, type PiiType } from './pii-type.js';

export interface DetectOptions {
  /** Types to look for; default all. Leaving out NAME skips the NLP tagger, the slow part. */
  types?: readonly PiiType[];
  /** Use the compromise tagger for names (default true); rules alone are about 100x faster and miss un-cued names. */
  nlp?: boolean;
  /** Countries whose national phone formats are recognised; international +CC numbers always are. */
  phoneCountries?: readonly CountryCode[];
  /** Phone validation work left, shared by every text of one request (detectors/phone.ts); default a fresh budget per call. */
  phoneBudget?: PhoneBudget;
}

/**
 * Which detection wins an overlap: secrets (a URL's password is also an e-mail's shape), then
 * checksum-validated and unmistakable formats, then
 * phones (whose digits can hide inside cards, IBANs and ids), then addresses, then names.
 */
const rank: Record<PiiType, number> = {
  SECRET: -1,
  EMAIL: 0,
  CARD: 0,
  IBAN: 0,
  SSN: 1,
  NINO: 0,
  AADHAAR: 1,
  DNI: 0,
  STEUERID: 1,
  BSN: 1,
  NIR: 0,
  CODICEFISCALE: 0,
  CPF: 1,
  PESEL: 0,
  PERSONNUMMER: 0,
  IP: 1,
  PHONE: 2,
  ADDRESS: 3,
  NAME: 4,
};

/**
 * Finds personal data in `text`. Spans never overlap; the result is sorted by position and
 * carries offsets only, never values, so it is safe to log. Every rule is linear in the
 * length of the text (detect.test.ts times each on hostile shapes); the NLP tagger is not,
 * which is why requests run it in a worker thread (nlp-name-finder.ts), never here.
 *
 * @example detectPii('mail jane@example.com') // [{ type: 'EMAIL', start: 5, end: 21 }]
 */
export function detectPii(text: string, options: DetectOptions = {}): Detection[] {
  const types = new Set(options.types ?? piiTypes);
  const candidates: Detection[] = [];
  const run = (type: PiiType, detector: (text: string) => Detection[]) => {
    if (types.has(type)) candidates.push(...detector(text));
  };
  run('SECRET', detectSecrets);
  run('EMAIL', detectEmails);
  run('CARD', detectCards);
  run('IBAN', detectIbans);
  run('SSN', detectSsns);
  run('NINO', detectNinos);
  run('AADHAAR', detectAadhaars);
  run('DNI', detectDnis);
  run('STEUERID', detectSteuerIds);
  run('BSN', detectBsns);
  run('NIR', detectNirs);
  run('CODICEFISCALE', detectCodiciFiscali);
  run('CPF', detectCpfs);
  run('PESEL', detectPesels);
  run('PERSONNUMMER', detectPersonnummer);
  run('IP', detectIps);
  run('PHONE', (value) => detectPhones(value, options.phoneCountries, options.phoneBudget));
  run('ADDRESS', detectAddressesByRules);
  run('NAME', detectNamesByRules);
  if (options.nlp !== false) run('NAME', detectNamesByNlp);
  return resolveOverlaps(withoutIdsInsidePhones(text, candidates));
}

const digitIds = new Set<PiiType>(['SSN', 'AADHAAR', 'STEUERID', 'BSN', 'CPF']);

/**
 * "+31 (0)20 123 4567": the last nine digits pass the BSN's elfproef one time in eleven, and
 * an id outranks a phone, so the "+31 (0)" was left in the text. An id that lies strictly
 * inside a number written with its country code is part of that phone number.
 */
function withoutIdsInsidePhones(text: string, candidates: Detection[]): Detection[] {
  const phones = candidates.filter((candidate) => candidate.type === 'PHONE' && /^\(?(?:\+|00)/.test(text.slice(candidate.start, candidate.start + 3)));
  if (phones.length === 0) return candidates;
  return candidates.filter((candidate) => !digitIds.has(candidate.type) || !phones.some((phone) => phone.start < candidate.start && candidate.end <= phone.end));
}

/**
 * Keeps the best-ranked, then longest, of overlapping detections. Taken characters are
 * marked rather than each candidate compared with every kept one: that was quadratic in the
 * number of detections, 0.5 s for 256 KB of "12 rue A 12 rue A …" (29,000 addresses). Each
 * detector's own matches never overlap, so the marks cost a few passes over the text.
 */
export function resolveOverlaps(candidates: readonly Detection[]): Detection[] {
  const ordered = [...candidates].sort((a, b) => rank[a.type] - rank[b.type] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  let extent = 0;
  for (const candidate of candidates) extent = Math.max(extent, candidate.end);
  const taken = new Uint8Array(extent);
  const kept: Detection[] = [];
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    let free = true;
    for (let index = candidate.start; index < candidate.end && free; index++) free = taken[index] === 0;
    if (!free) continue;
    taken.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
