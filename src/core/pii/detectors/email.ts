import type { Detection } from '../pii-type.js';

// The local part may hold an apostrophe after its first character (o'connor@…); a quote
// before the address ('jane@example.com' in code) is not part of it and does not hide it.
const email = /(?<![\w.%+-])[\p{L}\d](?:[\p{L}\d._%+'’-]{0,63})@[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?(?:\.[\p{L}\d](?:[\p{L}\d-]{0,62}[\p{L}\d])?)*\.\p{L}{2,24}(?![\p{L}\d-])/gu;
// Written to dodge scrapers: "jane[at]example.com", "jane (at) example (dot) com", "jane at example dot com",
// "kayla dot morgan at outlook dot com", "pedidos [arroba] tienda [punto] es", "info(at)firma.de".
// The bare " at " form counts only with a " dot " and a known top-level domain after it, so "meet at noon" is none.
const atWord = String.raw`(?:at|arroba|arobase|chiocciola|małpa|malpa)`;
const dotWord = String.raw`(?:dot|punto|punkt|point|ponto|kropka)`;
const spelledDot = String.raw`(?:[ \t]?[\[({]${dotWord}[\])}][ \t]?|[ \t]${dotWord}[ \t])`;
const obfuscated = new RegExp(
  String.raw`(?<![\w.%+-])[\p{L}\d][\p{L}\d._%+-]{0,63}(?:${spelledDot}[\p{L}\d][\p{L}\d._%+-]{0,63}){0,3}[ \t]?(?:[\[({]${atWord}[\])}]|[ \t]${atWord}[ \t])[ \t]?[\p{L}\d][\p{L}\d-]{0,62}(?:(?:${spelledDot}|\.)[\p{L}\d][\p{L}\d-]{0,62}){1,4}(?![\p{L}\d-])`,
  'giu',
);
const hasAtWord = new RegExp(String.raw`(?<![\p{L}])${atWord}(?![\p{L}])`, 'iu');
const bracketed = new RegExp(String.raw`[\[({]${atWord}[\])}]`, 'iu');
const spelledTld = new RegExp(String.raw`[ \t]${dotWord}[ \t](?:com|org|net|edu|gov|io|co|uk|de|nl|fr|es|it|br|pl|in|be|ch|at|eu|ie|pt|se)$`, 'iu');
const anyDot = new RegExp(String.raw`\.|${dotWord}`, 'iu');
// "click at the dot in the corner", "look at this dot it is": words, not a domain.
const notDomain = new RegExp(
  String.raw`[ \t]${atWord}[ \t]+(?:the|this|that|these|those|a|an|it|its|my|your|his|her|our|their|me|you|him|us|them|home|work|least|most|all|once|first|last|one|some|any)[ \t]`,
  'iu',
);

/** Addresses with a dotted domain and a letters-only TLD; `user@localhost` is not personal data. Also "name [at] domain [dot] com". */
export function detectEmails(text: string): Detection[] {
  const found: Detection[] = [];
  if (text.includes('@')) {
    for (const match of text.matchAll(email)) found.push({ type: 'EMAIL', start: match.index, end: match.index + match[0].length });
  }
  if (hasAtWord.test(text)) {
    // A rejected match is tried again one character on: "me at kayla dot morgan" is none, but
    // it must not swallow the start of "kayla dot morgan at outlook dot com". Each start costs a
    // bounded scan (64-character parts, at most four of them), so the loop stays linear.
    obfuscated.lastIndex = 0;
    for (let match = obfuscated.exec(text); match; match = obfuscated.exec(text)) {
      if (bracketed.test(match[0]) ? anyDot.test(match[0]) : spelledTld.test(match[0]) && !notDomain.test(match[0]))
        found.push({ type: 'EMAIL', start: match.index, end: match.index + match[0].length });
      else obfuscated.lastIndex = match.index + 1;
    }
  }
  return found;
}
