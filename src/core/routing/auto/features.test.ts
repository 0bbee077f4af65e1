import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../wire/chat.js';
import { extractFeatures } from './features.js';

const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'auto', messages: [{ role: 'user', content: text }], ...extra });
const features = (text: string, extra: Partial<ChatRequest> = {}) => extractFeatures(ask(text, extra), { promptTokens: 100 });

describe('extractFeatures', () => {
  it('finds code cues: stack traces, code fences, SQL, refactoring requests in several languages', () => {
    assert.ok(features('TypeError: Cannot read properties of undefined (reading "map")\n    at OrderList (OrderList.jsx:14:23)').codeCues.includes('stack trace'));
    assert.ok(features('Why does this fail?\n```js\nconst a = [];\n```').codeCues.includes('code fence'));
    assert.ok(features('SELECT id, name FROM customers WHERE created_at > now() is slow').codeCues.includes('SQL'));
    assert.ok(features('Refaktoriere diese Klasse bitte in kleinere Funktionen.').codeCues.includes('refactor'));
    assert.ok(features('Escribe una función en Python que fusione intervalos.').codeCues.includes('programming task'));
  });

  it('finds no code cues in support questions and chit-chat', () => {
    for (const text of ['How long does delivery to Austria take?', 'Why is the sky blue?', 'Select the best option from the menu, please.', 'Merci, bonne journée !']) {
      assert.deepEqual(
        features(text).codeCues.filter((cue) => cue !== 'programming language'),
        [],
        text,
      );
    }
  });

  it('finds maths cues: proofs, calculus, probability, equations, in several languages', () => {
    assert.ok(features('Prove that the square root of 2 is irrational.').mathCues.includes('proof'));
    assert.ok(features('Beweise, dass es unendlich viele Primzahlen gibt.').mathCues.includes('proof'));
    assert.ok(features("Calculer l'intégrale de 0 à π de x·sin(x) dx.").mathCues.includes('calculus'));
    assert.ok(features('Lanzo tres dados. ¿Cuál es la probabilidad de que la suma sea 10?').mathCues.includes('probability'));
    assert.ok(features('Solve the system: 2x + 3y - z = 5, x - y + 2z = 3').mathCues.includes('equation'));
  });

  it('finds no strong maths cues in everyday questions', () => {
    for (const text of ['What is the capital of Australia?', 'Convert 5 miles to kilometres.', 'Integrate Stripe payments into our checkout? Which plan do you recommend?']) {
      assert.ok(!features(text).mathCues.some((cue) => ['proof', 'calculus', 'probability', 'equation'].includes(cue)), text);
    }
  });

  it('finds multi-step reasoning cues in English, German, French and Spanish', () => {
    assert.ok(features('Explain step by step how TLS works.').reasoningCues.includes('step by step'));
    assert.ok(features('Welche Vor- und Nachteile hat das Auslagern des Lagers?').reasoningCues.includes('trade-offs'));
    assert.ok(features('Quels sont les arguments pour et contre la semaine de quatre jours ?').reasoningCues.includes('trade-offs'));
    assert.ok(features('Compara los modelos de suscripción y de pago único.').reasoningCues.includes('comparison'));
    assert.ok(features('What exactly can I return, what will be refunded, and what should I tell Klarna?').reasoningCues.includes('multi-part question'));
    assert.deepEqual(features('Translate into German: "Your order has shipped."').reasoningCues, []);
  });

  it('reads the task from the last user message, not the system prompt', () => {
    const request: ChatRequest = {
      model: 'auto',
      messages: [
        { role: 'system', content: 'Think step by step. Compare options and analyse trade-offs before answering.' },
        { role: 'user', content: 'hi!' },
      ],
    };
    const found = extractFeatures(request, { promptTokens: 30 });
    assert.deepEqual([...found.codeCues, ...found.mathCues, ...found.reasoningCues], []);
    assert.equal(found.turns, 1);
  });

  it('counts the instruction, not pasted material, for length and numbers', () => {
    const email = 'Budget is EUR 3,400 over; print by 2 April or 4 May; 1,100 copies sold; decide by the 28th. '.repeat(5);
    const found = features(`Summarise this email in three bullet points:\n\n${email}`);
    assert.equal(found.instructionWords, 7);
    assert.equal(found.numbers, 0);
  });

  it('measures response schema complexity, tools, tool choice and conversation depth', () => {
    const schema = {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['open', 'closed'] },
        lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'number' } } } },
      },
    };
    const found = features('Extract the order.', { response_format: { type: 'json_schema', json_schema: { name: 'order', schema } } });
    assert.deepEqual(found.schema, { properties: 4, depth: 3, enums: 1, arrays: 1, score: 10 });
    const tool = (name: string) => ({ type: 'function' as const, function: { name } });
    const withTools = features('Book it.', { tools: [tool('a'), tool('b'), tool('c')], tool_choice: 'required' });
    assert.equal(withTools.tools, 3);
    assert.equal(withTools.toolChoice, 'required');
    const conversation = extractFeatures(
      {
        model: 'auto',
        messages: ['one', 'two', 'three']
          .flatMap((text) => [
            { role: 'user' as const, content: text },
            { role: 'assistant' as const, content: 'ok' },
          ])
          .concat([{ role: 'user', content: 'four' }]),
      },
      { promptTokens: 40 },
    );
    assert.equal(conversation.turns, 4);
  });

  it('passes hints, latency target and budget headroom through, normalised', () => {
    const found = extractFeatures(ask('hi'), { promptTokens: 10, tier: ' Large ', latencyTargetMs: 800, budgetHeadroom: 1.4 });
    assert.equal(found.hint, 'large');
    assert.equal(found.latencyTargetMs, 800);
    assert.equal(found.budgetHeadroom, 1);
    const none = extractFeatures(ask('hi'), { promptTokens: 10, latencyTargetMs: Number.NaN });
    assert.equal(none.latencyTargetMs, undefined);
    assert.equal(none.budgetHeadroom, undefined);
  });

  it('reads the start and the end of a long task, where the ask is, and not the pasted middle', () => {
    const pasted = 'lorem ipsum dolor sit amet '.repeat(150_000); // ~4 MB
    assert.ok(features(`Please refactor this module.\n${pasted}`).codeCues.includes('refactor'), 'an ask at the start');
    assert.ok(features(`${pasted}\nNow prove that the sum of two even numbers is even.`).mathCues.includes('proof'), 'an ask at the end');
    assert.deepEqual(features(`${pasted.slice(0, 2_000_000)} prove it ${pasted.slice(0, 2_000_000)}`).mathCues, [], 'a cue deep in the middle is not read');
  });
});
