import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseModelJson } from './parse-model-json.js';

describe('parseModelJson', () => {
  it('parses plain JSON without calling it repaired', () => {
    assert.deepEqual(parseModelJson(' {"total": 12.5}\n'), { ok: true, value: { total: 12.5 }, repaired: false });
    assert.deepEqual(parseModelJson('[1, 2]'), { ok: true, value: [1, 2], repaired: false });
  });

  it('strips code fences and prose around the object', () => {
    const answers = [
      '```json\n{"total": 12.5}\n```',
      'Here is the JSON:\n```\n{"total": 12.5}\n```\nLet me know if you need anything else.',
      'Here is the JSON: {"total": 12.5} Hope this helps!',
      '"{\\"total\\": 12.5}"',
    ];
    for (const answer of answers) assert.deepEqual(parseModelJson(answer), { ok: true, value: { total: 12.5 }, repaired: true }, answer);
  });

  it('repairs near-JSON: trailing commas, single quotes, unquoted keys, Python constants, a forgotten closing brace', () => {
    const answers = ['```json\n{"total": 12.5, "paid": false,}\n```', "{'total': 12.5, 'paid': False}", '{total: 12.5, paid: false}', '{"total": 12.5, "paid": false'];
    for (const answer of answers) assert.deepEqual(parseModelJson(answer), { ok: true, value: { total: 12.5, paid: false }, repaired: true }, answer);
    assert.deepEqual(parseModelJson('{"items": [{"a": 1}, {"a": 2}]'), { ok: true, value: { items: [{ a: 1 }, { a: 2 }] }, repaired: true });
  });

  it('refuses an answer cut off mid-value instead of completing it with lost data', () => {
    const cut = {
      '{"vendor": "Acme Trading Co': 'inside a string',
      '{"total": 12': 'inside a value',
      '{"total": 12.5, "vendor"': 'after a key',
      '{"total": 12.5, "vendor":': 'after a key',
      '{"total": 12.5,': 'after a comma',
      '```json\n{"items": [': 'after an opening bracket',
    };
    for (const [answer, where] of Object.entries(cut)) {
      assert.deepEqual(parseModelJson(answer), { ok: false, reason: `the answer is cut off ${where} (truncated JSON)` }, answer);
    }
  });

  it('refuses prose and empty answers', () => {
    assert.deepEqual(parseModelJson('I could not find an invoice in this document.'), { ok: false, reason: 'the answer holds no JSON object or array' });
    assert.deepEqual(parseModelJson('  '), { ok: false, reason: 'the answer is empty' });
    assert.deepEqual(parseModelJson('42'), { ok: false, reason: 'the answer holds no JSON object or array' });
  });
});
