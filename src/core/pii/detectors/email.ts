import type { Detection } from '../pii-type.js';

// The local part may hold an apostrophe after its first character (o'connor@…); a quote
// before the address ('jane@example.com' in code) is not part of it and does not hide it.
const email = /(?<![\w.%+-])[\p{L}\d](?:[\p{L}\d._%+'’-]{0,63})@[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?(?:\.[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?)*\.\p{L}{2,24}(?![\p{L}\d-])/gu;
// Written to dodge scrapers: "jane[at]example.com", "jane (at) example (dot) com", "jane at example dot com".
// The bare " at " form counts only with a " dot " and a known top-level domain after it, so "meet at noon" is none.
const obfuscated =
  /(?<![\w.%+-])[\p{L}\d][\p{L}\d._%+-]{0,63}[ \t]?(?:\[at\]|\(at\)|\{at\}|[ \t]at[ \t])[ \t]?[\p{L}\d][\p{L}\d-]{0,62}(?:[ \t]?(?:\[dot\]|\(dot\)|\{dot\}|[ \t]dot[ \t]|\.)[ \t]?[\p{L}\d][\p{L}\d-]{0,62}){1,4}(?![\p{L}\d-])/giu;
const bracketed = /\[at\]|\(at\)|\{at\}/i;
const spelledTld = /[ \t]dot[ \t](?:com|org|net|edu|gov|io|co|uk|de|nl|fr|es|it|br|pl|in|be|ch|at|eu|ie|pt|se)$/i;

/** Addresses with a dotted domain and a letters-only TLD; `user@localhost` is not personal data. Also "name [at] domain [dot] com". */
export function detectEmails(text: string): Detection[] {
  const found: Detection[] = [];
  if (text.includes('@')) {
    for (const match of text.matchAll(email)) found.push({ type: 'EMAIL', start: match.index, end: match.index + match[0].length });
  }
  if (/\bat\b/i.test(text)) {
    for (const match of text.matchAll(obfuscated)) {
      if (bracketed.test(match[0]) ? /\.|dot/i.test(match[0]) : spelledTld.test(match[0])) found.push({ type: 'EMAIL', start: match.index, end: match.index + match[0].length });
    }
  }
  return found;
}
