import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chatRequestSchema } from '../../../wire/chat.js';
import { exactCacheKey } from './cache-key.js';

const request = (body: Record<string, unknown>) => chatRequestSchema.parse(body);

describe('exactCacheKey', () => {
  const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('ignores key order and fields that do not change the answer', async () => {
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'm', stream: true, user: 'u', metadata: { a: 'b' } };
    assert.equal(await exactCacheKey('t', request(base)), await exactCacheKey('t', request(reordered)));
  });

  it('differs by tenant, model, content and sampling', async () => {
    const key = await exactCacheKey('t', request(base));
    assert.notEqual(await exactCacheKey('other', request(base)), key);
    assert.notEqual(await exactCacheKey('t', request({ ...base, model: 'n' })), key);
    assert.notEqual(await exactCacheKey('t', request({ ...base, messages: [{ role: 'user', content: 'hi!' }] })), key);
    assert.notEqual(await exactCacheKey('t', request({ ...base, temperature: 1 })), key);
  });

  it('keys a request of megabytes (hashed in turns) the same way', async () => {
    const text = 'a'.repeat(3_000_000);
    const key = await exactCacheKey('t', request({ ...base, messages: [{ role: 'user', content: text }] }));
    assert.equal(await exactCacheKey('t', request({ user: 'u', temperature: 0, messages: [{ content: text, role: 'user' }], model: 'm' })), key);
    assert.notEqual(await exactCacheKey('t', request({ ...base, messages: [{ role: 'user', content: `${text}b` }] })), key);
    assert.notEqual(await exactCacheKey('other', request({ ...base, messages: [{ role: 'user', content: text }] })), key);
  });
});
