import type { Detection } from '../pii-type.js';

const email = /(?<![\w.%+-])[\p{L}\d](?:[\p{L}\d._%+-]{0,63})@[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?(?:\.[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?)*\.\p{L}{2,24}(?![\p{L}\d-])/gu;

/** Addresses with a dotted domain and a letters-only TLD; `user@localhost` is not personal data. */
export function detectEmails(text: string): Detection[] {
  if (!text.includes('@')) return [];
  return [...text.matchAll(email)].map((match) => ({ type: 'EMAIL', start: match.index, end: match.index + match[0].length }));
}
