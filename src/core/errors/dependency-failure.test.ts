import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toBreakwaterError } from './breakwater-error.js';
import { isDependencyFailure } from './dependency-failure.js';

describe('isDependencyFailure', () => {
  it('recognises lost connections by the marks pg, ioredis, amqplib and Node leave', () => {
    const failures = [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      // pg-pool, when no connection came free in connectionTimeoutMillis: during a PostgreSQL
      // restart the webhook dispatcher took it for a bug, gave up recording a sent webhook,
      // and the lease lapsed into a second send.
      new Error('timeout exceeded when trying to connect'),
      Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' }),
      new Error('Connection is closed.'),
      new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:6379'), { code: 'ECONNREFUSED' })]),
      new Error('wrapped', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
    ];
    for (const error of failures) {
      assert.equal(isDependencyFailure(error), true, error.message);
      const mapped = toBreakwaterError(error);
      assert.equal(mapped.code, 'DEPENDENCY_UNAVAILABLE');
      assert.equal(mapped.retryable, true);
      assert.doesNotMatch(mapped.message, /\d+\.\d+\.\d+\.\d+|::1|5432|6379/, 'the message names no address');
    }
  });

  it('leaves other errors alone', () => {
    for (const error of [new TypeError('x is not a function'), Object.assign(new Error('duplicate key'), { code: '23505' }), 'a string', null]) {
      assert.equal(isDependencyFailure(error), false, String(error));
    }
    assert.equal(toBreakwaterError(new TypeError('boom')).code, 'INTERNAL_ERROR');
  });
});
