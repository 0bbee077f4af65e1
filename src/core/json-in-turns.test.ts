import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { updateWithCanonicalJson } from './hash-text.js';
import { jsonBytes, jsonTextInTurns, updateWithCanonicalJsonInTurns } from './json-in-turns.js';

const large = {
  model: 'm',
  user: 'someone',
  messages: [
    { role: 'system', content: 'short' },
    { content: `${'😀'.repeat(200_000)}"\\\u0000${'é'.repeat(300_000)}`, role: 'user' },
  ],
  temperature: 0.3,
};

test('a large value hashed in turns gives the digest of its canonical JSON, top-level members skipped alike', async () => {
  const skip = new Set(['user']);
  const inTurns = (await updateWithCanonicalJsonInTurns(createHash('sha256'), large, skip)).digest('hex');
  assert.equal(inTurns, updateWithCanonicalJson(createHash('sha256'), large, skip).digest('hex'));
  assert.equal(inTurns, createHash('sha256').update(canonicalJson(large, skip)).digest('hex'));
});

test('JSON text made in turns is JSON.stringify, or canonical JSON with sortKeys, in several slices', async () => {
  const slices: string[] = [];
  for await (const text of jsonTextInTurns(large)) slices.push(text);
  assert.ok(slices.length > 2, `${slices.length} slices`);
  assert.equal(slices.join(''), JSON.stringify(large));
  let sorted = '';
  for await (const text of jsonTextInTurns(large, { sortKeys: true })) sorted += text;
  assert.equal(sorted, canonicalJson(large));
  assert.ok(Buffer.concat(await jsonBytes(large)).equals(Buffer.from(JSON.stringify(large))));
});
