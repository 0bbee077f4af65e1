import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencyByDay } from './latency-by-day.js';

test('latencyByDay: nearest-rank p50 and p95 per UTC day, oldest first, days without calls left out', () => {
  const day1 = Date.parse('2026-12-06T23:59:59Z');
  const day2 = Date.parse('2026-12-07T00:00:00Z');
  const calls = [
    ...Array.from({ length: 20 }, (_, i) => ({ ts: day2 + i, latencyMs: 20 - i })), // 1..20
    { ts: day1, latencyMs: 7 },
  ];
  assert.deepEqual(latencyByDay(calls), [
    { day: '2026-12-06', requests: 1, p50Ms: 7, p95Ms: 7 },
    { day: '2026-12-07', requests: 20, p50Ms: 11, p95Ms: 20 },
  ]);
  assert.deepEqual(latencyByDay([]), []);
});
