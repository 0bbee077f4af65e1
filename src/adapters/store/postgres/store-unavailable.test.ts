import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { storeUnavailable, storeUnreachableAtStart } from './store-unavailable.js';

test('a refused or dropped PostgreSQL connection is a 503 DEPENDENCY_UNAVAILABLE that names the store, not its address', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
  const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  const dropped = new Error('Connection terminated unexpectedly');
  for (const error of [refused, shutdown, dropped]) {
    const mapped = storeUnavailable(error);
    assert.ok(BreakwaterError.isInstance(mapped));
    assert.equal(mapped.code, 'DEPENDENCY_UNAVAILABLE');
    assert.equal(mapped.status, 503);
    assert.equal(mapped.retryAfterSeconds, 1);
    assert.match(mapped.message, /PostgreSQL/);
    assert.doesNotMatch(mapped.message, /10\.1\.2\.3|5432/);
    assert.equal(mapped.cause, error);
  }
});

test('query errors that are not about the connection pass through unchanged', () => {
  const duplicate = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
  assert.equal(storeUnavailable(duplicate), duplicate);
  const ours = new BreakwaterError('JOB_NOT_FOUND', 'No job.');
  assert.equal(storeUnavailable(ours), ours);
});

test("at start-up the refusal keeps pg's own words, for the operator who must fix store.url", () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:1'), { code: 'ECONNREFUSED' });
  const mapped = storeUnreachableAtStart(storeUnavailable(refused));
  assert.ok(BreakwaterError.isInstance(mapped));
  assert.equal(mapped.code, 'DEPENDENCY_UNAVAILABLE');
  assert.match(mapped.message, /PostgreSQL \(the store\) does not answer \(connect ECONNREFUSED 10\.1\.2\.3:1\).*store\.url/);
});
