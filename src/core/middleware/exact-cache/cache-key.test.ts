import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chatRequestSchema } from '../../../wire/chat.js';
import { exactCacheKey } from './cache-key.js';

const request = (body: Record<string, unknown>) => chatRequestSchema.parse(body);

describe('exactCacheKey', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('ignores key order and fields that do not change the answer', () => {
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'm', stream: true, user: 'u', metadata: { a: 'b' } };
    assert.equal(exactCacheKey('t', request(base)), exactCacheKey('t', request(reordered)));
  });

  it('differs by tenant, model, content and sampling', () => {
    const key = exactCacheKey('t', request(base));
    assert.notEqual(exactCacheKey('other', request(base)), key);
    assert.notEqual(exactCacheKey('t', request({ ...base, model: 'n' })), key);
    assert.notEqual(exactCacheKey('t', request({ ...base, messages: [{ role: 'user', content: 'hi!' }] })), key);
    assert.notEqual(exactCacheKey('t', request({ ...base, temperature: 1 })), key);
  });
});
