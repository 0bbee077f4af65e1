import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../../../wire/chat.js';
import { splitAsk } from './cues.js';
import { decideRoute } from './decide.js';
import { difficulty } from './difficulty.js';
import { extractFeatures } from './features.js';
import { routeVector } from './route-vector.js';
import { parseAutoRouteConfig } from './rules.js';

const request = (text: string, extra: Partial<ChatRequest> = {}, system?: string): ChatRequest => ({
  model: 'auto',
  messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: text }],
  ...extra,
});
const features = (text: string, extra: Partial<ChatRequest> = {}, system?: string) => extractFeatures(request(text, extra, system), { promptTokens: 100 });

// A pasted document full of health words, unlike anything in the dev set.
const leaflet = [
  'Patient information: Cetirizine 10 mg tablets.',
  'Used for hay fever symptoms, itchy eyes and allergic rash in adults and children over 6.',
  'Do not take if you have severe kidney disease. Side effects: drowsiness, dry mouth, headache; rarely an allergic reaction.',
  'Dosage: adults one tablet daily; children 6 to 12 years half a tablet twice daily. Avoid alcohol. Do not drive if drowsy.',
  'Pregnancy and breastfeeding: ask your doctor or pharmacist before taking this medicine.',
  'Store below 30 °C in the original blister. Keep out of reach of children.',
].join('\n');

const tool = (name: string, description: string, properties: Record<string, unknown>) => ({
  type: 'function' as const,
  function: { name, description, parameters: { type: 'object', properties } },
});

const config = parseAutoRouteConfig({
  tiers: [
    { name: 'small', alias: 'mini' },
    { name: 'large', alias: 'big' },
  ],
});
if (!config.ok) throw new Error(config.error.join('\n'));
const route = (text: string, extra: Partial<ChatRequest> = {}, system?: string) => decideRoute(features(text, extra, system), config.value);

describe('the ask and the pasted material', () => {
  it('finds the ask after a pasted document, before it, and at both ends around code', () => {
    assert.deepEqual(splitAsk(`${leaflet}\n\nCan it be kept in a car?`).ask, 'Can it be kept in a car?');
    assert.equal(splitAsk(`Summarise for a customer:\n\n${leaflet}`).ask, 'Summarise for a customer');
    assert.equal(
      splitAsk('Write a toast with these requirements:\n- under 100 words\n- no jokes about age').ask,
      'Write a toast with these requirements:\n- under 100 words\n- no jokes about age',
    );
    assert.equal(splitAsk('Tidy up these notes:\n\n- call Femke\n- send forecast').ask, 'Tidy up these notes', 'a list after a blank line is material');
    assert.equal(splitAsk('Fix this:\n```js\nconst a = b.map(x => x.id)\n```\nWhy does it fail?').ask, 'Fix this\n\nWhy does it fail?');
    assert.deepEqual(splitAsk('Where is my order?'), { ask: 'Where is my order?', material: '' });
  });

  it('counts the material apart, and tells cues of the ask from cues that were only in the material', () => {
    const found = features(`${leaflet}\n\nCan it be kept in a car?`);
    assert.equal(found.instructionWords, 7);
    assert.ok(found.materialWords > 80, String(found.materialWords));
    assert.ok(found.riskCues.includes('health'), 'the task still shows the domain');
    assert.equal(found.askCues, 0);
    assert.deepEqual(found.askRiskCues, []);
    const vector = routeVector(found).named;
    assert.ok(vector['pasted material']! > 0);
    assert.ok(vector['cues only in pasted material']! > 0);
    assert.equal(vector['cues per word of the ask'], undefined);
    assert.equal(vector['risk domain only in pasted material'], 0.5);
    assert.equal(vector['risk: health'], undefined, 'the named risk cues are those of the ask');
    assert.deepEqual(
      difficulty(found).signals.filter((signal) => signal.label.startsWith('risk')),
      [],
      'the hand-written score does not count the leaflet',
    );
  });

  it('counts the requirements of the ask, not the "must" and "never" of a pasted contract', () => {
    const contract = 'The tenant must not sublet. The tenant must never keep pets. Payments must arrive by the 1st. Only written notice is valid. At most two visits a year.';
    assert.equal(features(`${contract}\n\nWhen is the rent due?`).constraints, 0);
    assert.ok(features(contract).constraints >= 3);
  });

  it('weighs cues by the length of the ask', () => {
    const short = routeVector(features('Prove that 17 is prime.')).named['cues per word of the ask']!;
    const long = routeVector(features(`Prove that 17 is prime. ${'Please also keep the tone friendly and the layout tidy for my class handout. '.repeat(4)}`)).named[
      'cues per word of the ask'
    ]!;
    assert.ok(short > long && long > 0, `${short} > ${long}`);
  });

  it('reads the wording of the ask only, so a pasted document does not change it', () => {
    assert.deepEqual(features(`${leaflet}\n\nCan it be kept in a car?`).ngrams, features('Can it be kept in a car?').ngrams);
  });
});

describe('structure cues that read the same in every language', () => {
  it('reads a list item padded with a long run of blanks in linear time (a whole-block pattern backtracked for ~1 s)', () => {
    const started = performance.now();
    const found = features(`Do this:\n- ${' '.repeat(16_000)}\nthen \t${'\t '.repeat(8_000)}`);
    assert.ok(performance.now() - started < 250, `${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(found.listItems, 0);
  });

  it('counts questions and list items of the ask, a list right after its colon included', () => {
    const found = features('Three things before we sign:\n- which plan fits a team of 12?\n- can we pay yearly?\n- is there a discount for charities?');
    assert.equal(found.questions, 3);
    assert.equal(found.listItems, 3);
    const vector = routeVector(found).named;
    assert.equal(vector['questions asked'], 0.75);
    assert.equal(vector['listed items'], 3 / 8);
  });

  it('sees the writer’s own situation, and marks it when the ask is in a risk domain', () => {
    for (const text of [
      'Mijn vader neemt bloedverdunners, mag hij ibuprofen?',
      'Posso tomar paracetamol grávida de 10 semanas?',
      'Mon propriétaire garde ma caution, que faire ?',
    ]) {
      const vector = routeVector(features(text)).named;
      assert.equal(vector['personal situation'], 1, text);
      assert.equal(vector['personal situation in a risk domain'], 1, text);
    }
    const lookup = routeVector(features('What does the word "tenancy" mean?')).named;
    assert.equal(lookup['personal situation'], undefined);
    assert.equal(lookup['personal situation in a risk domain'], undefined);
  });

  it('marks many tools for a short ask, and a schema filled from the whole user message', () => {
    const tools = [tool('a', 'A', { x: { type: 'string' } }), tool('b', 'B', { y: { type: 'string' } }), tool('c', 'C', {})];
    assert.equal(routeVector(features('Any mail from Jonas today?', { tools })).named['tools for a short ask'], 1);
    assert.equal(routeVector(features('Any mail from Jonas today?', { tools, tool_choice: 'none' })).named['tools for a short ask'], undefined);
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
    const format: Partial<ChatRequest> = { response_format: { type: 'json_schema', json_schema: { name: 'n', schema, strict: true } } };
    assert.equal(routeVector(features('Order from Kim Berg, 2 chairs, deliver Friday.', format, 'Extract the fields.')).named['schema for pasted text'], 1);
    assert.equal(routeVector(features('Which of these clauses is risky?', format, 'Extract the fields.')).named['schema for pasted text'], undefined);
  });
});

describe('the shipped model on look-alikes it was not trained on', () => {
  it('keeps a simple question about a pasted leaflet small, and sends a personal medical judgement about it large', () => {
    const simple = route(`${leaflet}\n\nCan it be kept in a car in summer?`);
    assert.equal(simple.tier, 'small', simple.reason);
    const judgement = route(`${leaflet}\n\nI am 30 weeks pregnant and already take an inhaler for asthma. Is it safe for me to take this every day for a month?`);
    assert.equal(judgement.tier, 'large', judgement.reason);
  });

  it('names the new features in the reason when they decide', () => {
    const decision = route(`${leaflet}\n\nCan it be kept in a car in summer?`);
    assert.match(decision.reason, /pasted material|cues only in pasted material|instruction words|prompt length|wording/);
  });
});
