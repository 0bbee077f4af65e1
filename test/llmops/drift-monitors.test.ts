import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageRow } from '../../src/core/ports/store.js';
import { adminToken, bearer, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

function row(ts: number, index: number, overrides: Partial<UsageRow>): UsageRow {
  return {
    ts,
    requestId: `r-${ts}-${index}`,
    keyId: 'key_1',
    alias: 'mock',
    deployment: 'mock/mock',
    operation: 'chat',
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.001,
    latencyMs: 100,
    overheadMs: 1,
    status: 200,
    cache: 'miss',
    errorCode: null,
    routeTier: null,
    routeReason: null,
    pii: null,
    promptName: 'triage',
    promptVersion: 3,
    ...overrides,
  };
}

describe('drift monitors: each alias and prompt version, the current window against its reference', () => {
  let test: TestApp;
  before(async () => {
    test = await startTestApp({ ...mockModelConfig, monitors: { windowMinutes: 60, referenceHours: 24, minRequests: 10 } });
  });
  after(() => test.close());

  it('flags the signals past their thresholds, leaves steady and new series alone, and exports them to Prometheus', async () => {
    const now = Date.now();
    const rows: UsageRow[] = [];
    for (let index = 0; index < 40; index++) {
      // Reference: 2-20 hours ago. Current: the last hour, three times slower, twice the output, 10% errors.
      rows.push(row(now - 2 * 3_600_000 - index * 1_700_000, index, {}));
      rows.push(row(now - 60_000 - index * 1_000, index, { latencyMs: 300, outputTokens: 100, status: index % 10 === 0 ? 502 : 200 }));
      // A steady series, and one that only exists now; cache hits never count.
      rows.push(row(now - 3 * 3_600_000 - index * 1_000, index, { promptVersion: 2 }));
      rows.push(row(now - 120_000 - index * 1_000, index, { promptVersion: 2 }));
      rows.push(row(now - 30_000 - index, index, { promptVersion: 4 }));
      rows.push(row(now - 30_000 - index, index, { promptVersion: 2, cache: 'hit', latencyMs: 1, outputTokens: 500 }));
    }
    await test.app.store.ledger.appendUsage(rows);

    const response = await test.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(adminToken) });
    assert.equal(response.statusCode, 200, response.body);
    const series = new Map(response.json().data.map((entry: { prompt: string }) => [entry.prompt, entry]));
    const drifted = series.get('triage@3') as { drifting: Array<{ signal: string; change: number }>; current: { requests: number; error_rate: number } };
    assert.deepEqual(
      drifted.drifting.map((drift) => drift.signal),
      ['error_rate', 'latency', 'output_tokens'],
    );
    assert.equal(drifted.current.requests, 40);
    assert.equal(drifted.current.error_rate, 0.1);
    assert.equal(drifted.drifting.find((drift) => drift.signal === 'latency')!.change, 2);
    const steady = series.get('triage@2') as { drifting: unknown[]; judged: boolean; current: { requests: number } };
    assert.deepEqual([steady.judged, steady.drifting, steady.current.requests], [true, [], 40]);
    const fresh = series.get('triage@4') as { judged: boolean; reference: unknown };
    assert.deepEqual([fresh.judged, fresh.reference], [false, null]);

    const metrics = (await test.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /breakwater_monitor_drift\{alias="mock",prompt="triage@3",signal="latency"\} 1/);
    assert.match(metrics, /breakwater_monitor_drift\{alias="mock",prompt="triage@2",signal="latency"\} 0/);
    const keyed = await test.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(await test.key()) });
    assert.equal(keyed.statusCode, 401);
  });
});
