import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { signPayload, verifySignature } from './signature.js';

const now = 1_767_225_600_000;
const body = JSON.stringify({ id: 'whd_1', type: 'job.succeeded', created_at: 1_767_225_600, data: { id: 'job_1' } });

describe('signPayload', () => {
  it('sends the delivery id, the unix-seconds timestamp and an HMAC-SHA256 of `${timestamp}.${body}`', () => {
    const headers = signPayload(body, ['whsec_a'], now + 999, 'whd_1');
    const expected = createHmac('sha256', 'whsec_a').update(`1767225600.${body}`).digest('hex');
    assert.deepEqual(headers, {
      'breakwater-webhook-id': 'whd_1',
      'breakwater-webhook-timestamp': '1767225600',
      'breakwater-signature': `t=1767225600,v1=${expected}`,
    });
  });

  it('signs with every active secret during a rotation', () => {
    const header = signPayload(body, ['old', 'new'], now, 'whd_1')['breakwater-signature'];
    assert.equal(header.split(',').filter((part) => part.startsWith('v1=')).length, 2);
  });

  it('refuses to send unsigned webhooks', () => {
    assert.throws(
      () => signPayload(body, [], now, 'whd_1'),
      (error) => BreakwaterError.isInstance(error) && error.code === 'CONFIG_INVALID',
    );
  });
});

describe('verifySignature', () => {
  const header = signPayload(body, ['whsec_a'], now, 'whd_1')['breakwater-signature'];

  it('accepts its own signature (round trip), as a string or as raw bytes', () => {
    assert.deepEqual(verifySignature({ body, header, secrets: ['whsec_a'], now }), { ok: true });
    assert.deepEqual(verifySignature({ body: Buffer.from(body), header, secrets: ['whsec_a'], now: now + 299_000 }), { ok: true });
  });

  it('rejects a tampered body', () => {
    assert.deepEqual(verifySignature({ body: body.replace('job_1', 'job_2'), header, secrets: ['whsec_a'], now }), { ok: false, reason: 'mismatch' });
  });

  it('rejects the wrong secret', () => {
    assert.deepEqual(verifySignature({ body, header, secrets: ['whsec_b'], now }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(verifySignature({ body, header, secrets: [], now }), { ok: false, reason: 'mismatch' });
  });

  it('rejects an old or future timestamp outside the tolerance', () => {
    assert.deepEqual(verifySignature({ body, header, secrets: ['whsec_a'], now: now + 301_000 }), { ok: false, reason: 'expired' });
    assert.deepEqual(verifySignature({ body, header, secrets: ['whsec_a'], now: now - 301_000 }), { ok: false, reason: 'expired' });
    assert.deepEqual(verifySignature({ body, header, secrets: ['whsec_a'], now: now + 301_000, toleranceSeconds: 600 }), { ok: true });
  });

  it('verifies during a rotation with either secret on either side', () => {
    const rotating = signPayload(body, ['old', 'new'], now, 'whd_1')['breakwater-signature'];
    assert.deepEqual(verifySignature({ body, header: rotating, secrets: ['old'], now }), { ok: true });
    assert.deepEqual(verifySignature({ body, header: rotating, secrets: ['new'], now }), { ok: true });
    assert.deepEqual(verifySignature({ body, header, secrets: ['new', 'whsec_a'], now }), { ok: true });
    assert.deepEqual(verifySignature({ body, header: rotating, secrets: ['other'], now }), { ok: false, reason: 'mismatch' });
  });

  it('tells a missing header from a malformed one', () => {
    for (const missing of [undefined, null, '', '  ']) {
      assert.deepEqual(verifySignature({ body, header: missing, secrets: ['whsec_a'], now }), { ok: false, reason: 'missing' });
    }
    const v1 = header.split(',')[1]!;
    for (const malformed of ['garbage', 't=1767225600', v1, `t=abc,${v1}`, `t=1,t=2,${v1}`, 't=1767225600,v1=abc', `t=1767225600,${v1},=x`, `t=1767225600,v1=${'z'.repeat(64)}`]) {
      assert.deepEqual(verifySignature({ body, header: malformed, secrets: ['whsec_a'], now }), { ok: false, reason: 'malformed' }, malformed);
    }
  });

  it('ignores unknown signature schemes next to a valid v1', () => {
    assert.deepEqual(verifySignature({ body, header: `${header},v2=whatever`, secrets: ['whsec_a'], now }), { ok: true });
  });
});
