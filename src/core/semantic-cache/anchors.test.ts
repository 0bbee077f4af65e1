import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { anchorsAgree, extractAnchors } from './anchors.js';
import { detectLanguage } from './language.js';
import { normaliseText } from './normalise.js';
import { swapsContentWords } from './prompt-match.js';
import { describePrompt, maxQuestionLength } from './scope.js';

/** The whole "same question?" guard the cache applies to a candidate above the threshold. */
function sameQuestion(a: string, b: string): boolean {
  const [left, right] = [normaliseText(a), normaliseText(b)];
  const agree = anchorsAgree(extractAnchors(a), new Set(left.split(' ')), extractAnchors(b), new Set(right.split(' ')));
  return agree && !swapsContentWords(left, right, detectLanguage(a) ?? detectLanguage(b));
}

describe('the different-question guard', () => {
  const nearMisses: Array<[string, string]> = [
    ['Can I return an item after 30 days?', 'Can I return an item after 60 days?'],
    ['Can I book a table for four people?', 'Can I book a table for six people?'],
    ['Is the store open on December 24?', 'Is the store open on December 26?'],
    ['Can I get a delivery tomorrow?', 'Can I get a delivery today?'],
    ['How many vacation days does Anna have left?', 'How many vacation days does Peter have left?'],
    ['What is the status of order #48213?', 'What is the status of order #48231?'],
    ['Can you resend it to anna@example.com?', 'Can you resend it to anna@example.org?'],
    ['Is the coupon SUMMER20 still valid?', 'Is the coupon WINTER20 still valid?'],
    ['Why is my order shipped?', 'Why is my order not shipped?'],
    ['Why does my app work in production?', "Why doesn't my app work in production?"],
    ['Kann ich mit Beleg umtauschen?', 'Kann ich ohne Beleg umtauschen?'],
    ['How do I enable dark mode?', 'How do I disable dark mode?'],
    ['How do I turn on notifications?', 'How do I turn off notifications?'],
    ['Comment activer les notifications ?', 'Comment désactiver les notifications ?'],
    ['How long does it take to walk 5 km?', 'How long does it take to walk 5 miles?'],
    ['How much is it in euros?', 'How much is it in dollars?'],
    ['Convert 30 degrees Celsius to Fahrenheit', 'Convert 30 degrees Fahrenheit to Celsius'],
    ['How do I translate "good morning" into Japanese?', 'How do I translate "good night" into Japanese?'],
    ['What is the return policy for shoes?', 'What is the return policy for electronics?'],
    ['¿Cómo cancelo mi pedido?', '¿Cómo cancelo mi reserva?'],
  ];
  for (const [cached, asked] of nearMisses) {
    it(`tells apart "${cached}" and "${asked}"`, () => assert.equal(sameQuestion(cached, asked), false));
  }

  const paraphrases: Array<[string, string]> = [
    ['How do I reset my password?', 'Could you please tell me how to reset my password?'],
    ["What's your refund policy?", 'what is your refund policy'],
    ['Can I return 1,000 units?', 'can i return 1000 units'],
    ['Is the meeting on 2024-05-03?', 'Is the meeting on 03/05/2024?'],
    ['Do I need two tickets?', 'Do I need 2 tickets?'],
    ['How many vacation days does Anna have?', 'how many vacation days does anna have'],
    ['Wie kann ich mein Passwort zurücksetzen?', 'Können Sie mir bitte sagen, wie ich mein Passwort zurücksetzen kann?'],
    ['¿Cómo restablezco mi contraseña?', '¿Me puedes decir cómo restablecer mi contraseña, por favor?'],
  ];
  for (const [cached, asked] of paraphrases) {
    it(`lets "${cached}" answer "${asked}"`, () => assert.equal(sameQuestion(cached, asked), true));
  }
});

describe('anchors and scope on hostile text', () => {
  // Regression: the e-mail part of the link pattern rescanned a run of address characters from each position (8 KB of dots: 0.1 s, 256 KB: minutes).
  it('extracts anchors from 256 KB of one address character in linear time', () => {
    for (const unit of ['.', 'a', 'a.', '1-']) {
      const started = performance.now();
      extractAnchors(unit.repeat(262_144 / unit.length));
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 1_000, `${JSON.stringify(unit)}: ${elapsed.toFixed(0)} ms`);
    }
  });

  it('does not cache by meaning a question too long to be asked again in other words', () => {
    const asking = (content: string) => describePrompt({ model: 'm', messages: [{ role: 'user', content }] }, 'tenant', 'alias');
    assert.ok(asking('What is the refund policy?'));
    assert.equal(asking(`Summarise: ${'lorem ipsum '.repeat(maxQuestionLength / 12 + 1)}`), undefined);
  });
});
