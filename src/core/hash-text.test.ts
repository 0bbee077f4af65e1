import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson } from './canonical-json.js';
import { updateWithCanonicalJson } from './hash-text.js';

/** The digest of a string's JSON text, built whole and fed piece by piece. */
const whole = (text: string) => createHash('sha256').update(JSON.stringify(text)).digest('hex');
const sliced = (text: string) => updateWithCanonicalJson(createHash('sha256'), text).digest('hex');

test('hashing a long string a slice at a time gives the digest of the whole string', () => {
  for (const text of ['', 'short', 'a'.repeat(100_000), 'é'.repeat(70_000), '🙂'.repeat(50_000), `${'a'.repeat(32_767)}🙂${'b'.repeat(40_000)}`]) {
    assert.equal(sliced(text), whole(text), `${text.length} characters`);
  }
});

test('a surrogate pair across a slice boundary is hashed as the one character it is', () => {
  // 32,767 ASCII characters put the pair's high half last in the first slice.
  const text = `${'x'.repeat(32_767)}🙂${'y'.repeat(10)}`;
  assert.equal(sliced(text), whole(text));
  assert.notEqual(sliced(text), whole(`${'x'.repeat(32_767)}\ufffd\ufffd${'y'.repeat(10)}`));
});

test('hashing a value as canonical JSON piece by piece gives the digest of its canonical JSON text', () => {
  const long = `${'x'.repeat(40_000)}"\\\n${'🙂'.repeat(30_000)}\u0001é`;
  const values: unknown[] = [
    null,
    42,
    'short',
    long,
    [1, undefined, 'a', null, { b: 1, a: [long, { z: undefined, y: true }] }],
    { model: 'm', messages: [{ role: 'user', content: long }], stream: true, metadata: { k: 'v' }, [long.slice(0, 40_001)]: 1 },
  ];
  for (const value of values) {
    for (const skip of [undefined, new Set(['stream', 'metadata'])]) {
      const expected = createHash('sha256').update(canonicalJson(value, skip)).digest('hex');
      assert.equal(updateWithCanonicalJson(createHash('sha256'), value, skip).digest('hex'), expected);
    }
  }
});
