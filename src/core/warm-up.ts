import { detectPii } from './pii/detect.js';
import { extractFeatures } from './routing/auto/features.js';
import { extractAnchors } from './semantic-cache/anchors.js';
import { normaliseText } from './semantic-cache/normalise.js';

/** Short texts that reach every family of rules: questions, code, maths, risk words, personal data, several languages. */
const samples = [
  'How do I reset my password? Please compare both plans step by step, pros and cons.',
  'Fix this bug:\n```ts\nconst total = items.reduce((sum, item) => sum + item.price, 0);\n```\nWhy is 1234 x 56 wrong?',
  'Mein Vermieter behält die Kaution ein; welche Rechte habe ich? Ruf mich an: +49 30 1234567, max@example.de',
  "Quelle est la dose maximale d'ibuprofène ? Mon IBAN est FR76 3000 6000 0112 3456 7890 189.",
  '¿Cuánto interés pagaré por un préstamo de 20.000 € al 5% durante 3 años? Escribe un plan.',
  'Translate to Italian: "Your order 48213 ships on 2026-01-05." Card 4111 1111 1111 1111, key sk-test-0123456789abcdefghij.',
];

/**
 * Runs the per-request text rules (router cues, PII rules, semantic-cache normalising and
 * anchors) a few times on short samples before a server takes traffic. V8 first runs a regular
 * expression in its interpreter and compiles it to machine code on a later run, or at once for a
 * long subject; for the router's word-list patterns that compile took 30-110 ms each under load,
 * so the first request with a long prompt held the loop ~0.4-0.7 s, and the first ordinary
 * requests each paid some of it. Here every pattern is compiled at start instead (~0.1-0.3 s).
 * Pure: no I/O, nothing kept.
 */
export function warmUpRequestRules(): void {
  // And one long text, so the loops over characters are optimised too (the router reads up to 16 K).
  const long = samples.join('\n').repeat(40);
  for (let round = 0; round < 3; round++) {
    for (const text of [...samples, long]) {
      extractFeatures(
        {
          model: 'auto',
          messages: [
            { role: 'system', content: samples[0]! },
            { role: 'user', content: text },
          ],
        },
        { promptTokens: 64 },
      );
      detectPii(text, { nlp: false });
      normaliseText(text);
      extractAnchors(text);
    }
  }
}
