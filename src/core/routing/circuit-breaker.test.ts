import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, type BreakerState } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one probe through after the cooldown, and closes on its success', () => {
    let now = 0;
    const changes: BreakerState[] = [];
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now, onStateChange: (state) => changes.push(state) });
    for (let index = 0; index < 2; index++) breaker.onFailure();
    assert.equal(breaker.state, 'closed');
    breaker.onSuccess(); // a success resets the consecutive count
    for (let index = 0; index < 3; index++) breaker.onFailure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    assert.equal(breaker.retryInMs, 1000);
    now = 1000;
    assert.equal(breaker.tryAcquire(), true, 'one probe');
    assert.equal(breaker.tryAcquire(), false, 'only one probe at a time');
    breaker.onSuccess();
    assert.equal(breaker.state, 'closed');
    assert.deepEqual(changes, ['open', 'half-open', 'closed']);
  });

  it('a failed probe opens the breaker for another cooldown', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 500, now: () => now });
    breaker.onFailure();
    now = 500;
    assert.equal(breaker.tryAcquire(), true);
    breaker.onFailure();
    assert.equal(breaker.state, 'open');
    now = 999;
    assert.equal(breaker.tryAcquire(), false);
    now = 1000;
    assert.equal(breaker.tryAcquire(), true);
  });
});
