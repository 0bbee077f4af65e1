import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamSecret } from '../support/test-app.js';

/** The primary's invoice for ticket n; the candidate model gets `total` wrong on every third and `vendor` as a different spelling of the same name. */
function invoice(n: number, model: string): Record<string, unknown> {
  const wrongTotal = model === 'gpt-candidate' && n % 3 === 0;
  return {
    invoice_number: `INV-${n}`,
    vendor: model === 'gpt-candidate' ? '  ACME   gmbh ' : 'Acme GmbH',
    total: wrongTotal ? 999 : 100 + n + (model === 'gpt-candidate' ? 0.004 : 0),
    contact: `billing${n}@acme.example`,
  };
}

describe('shadow mode: a sampled candidate runs after the primary answered, is compared field by field, and never touches the caller', () => {
  let upstream: OpenAIUpstream;
  let legacy: Server;
  /** Requests the legacy endpoint received, and how it treats each: error, hang (never answers), or answer. */
  const legacyCalls: string[] = [];
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      const messages = request.body.messages as Array<{ content: string }>;
      const n = Number(/ticket (\d+)/.exec(messages.at(-1)!.content)?.[1] ?? 0);
      answer(request, response, JSON.stringify(invoice(n, String(request.body.model))));
      return true;
    });
    legacy = createServer((request, response) => {
      legacyCalls.push(String(request.url));
      if (legacyCalls.length % 2 === 1) {
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"legacy down"}');
        return;
      }
      // Hang: never answer; the shadow's timeout ends it.
    });
    await new Promise<void>((resolve) => legacy.listen(0, '127.0.0.1', resolve));
    const legacyUrl = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}/legacy`;
    test = await startTestApp(
      {
        providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'UPSTREAM_KEY' } } },
        models: {
          primary: { deployments: [{ provider: 'upstream', model: 'gpt-primary', retries: 0 }] },
          candidate: { deployments: [{ provider: 'upstream', model: 'gpt-candidate', retries: 0 }] },
        },
        cache: { exact: { enabled: false } },
        shadows: {
          'new-model': {
            target: { alias: 'primary' },
            candidate: { alias: 'candidate' },
            sampleRate: 1,
            compare: { fields: { total: { match: 'numeric', tolerance: 0.01 } } },
            promote: { minSamples: 5, minAgreement: 0.95 },
          },
          legacy: { target: { alias: 'primary' }, candidate: { url: legacyUrl }, sampleRate: 1, timeoutMs: 300, maxConcurrent: 16 },
        },
      },
      { env: { UPSTREAM_KEY: upstreamSecret } },
    );
    key = await test.key();
  });
  after(async () => {
    await test.close();
    legacy.closeAllConnections();
    legacy.close();
    await upstream.close();
  });

  it('answers the caller with the primary alone, then reports per-field agreement, masked examples and a recommendation', async () => {
    const answers: unknown[] = [];
    for (let n = 1; n <= 12; n++) {
      const response = await test.server.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: bearer(key),
        payload: { model: 'primary', messages: [{ role: 'user', content: `Extract ticket ${n}` }] },
      });
      assert.equal(response.statusCode, 200, response.body);
      answers.push(JSON.parse(response.json().choices[0].message.content));
    }
    assert.deepEqual(
      answers,
      Array.from({ length: 12 }, (_, index) => invoice(index + 1, 'gpt-primary')),
      'every caller got the primary answer, whatever the candidates did',
    );
    for (const runner of test.app.shadows.values()) await runner.idle();
    assert.equal(legacyCalls.length, 12, 'the legacy endpoint was called for each sample');

    const report = await test.server.inject({ method: 'GET', url: '/v1/shadow/new-model/report', headers: bearer(adminToken) });
    assert.equal(report.statusCode, 200, report.body);
    const body = report.json();
    assert.deepEqual([body.samples, body.compared, body.candidate_errors], [12, 12, 0]);
    // 4 fields × 12 samples; `total` disagrees on 4 of them (n = 3, 6, 9, 12): 44 / 48.
    assert.equal(body.agreement, 44 / 48);
    assert.deepEqual(body.fields[0], { path: 'total', agreement: 8 / 12, comparisons: 12 });
    assert.ok(
      body.fields.slice(1).every((field: { agreement: number }) => field.agreement === 1),
      'vendor agrees after normalising case and spaces; a total within 0.01 agrees',
    );
    assert.equal(body.disagreements.length, 4);
    assert.deepEqual(body.disagreements[0].fields, ['total']);
    assert.ok(!body.disagreements.some((example: { primary: string }) => example.primary.includes('@acme.example')), 'emails are masked in examples');
    assert.match(body.disagreements[0].primary, /\[EMAIL\]/);
    assert.equal(body.recommendation.action, 'do-not-promote');
    assert.match(body.recommendation.reasons[0], /total 66\.7%/);
    assert.ok(body.latency_ms.candidate_p50 >= 0);

    const legacyReport = (await test.server.inject({ method: 'GET', url: '/v1/shadow/legacy/report', headers: bearer(adminToken) })).json();
    assert.deepEqual([legacyReport.samples, legacyReport.compared, legacyReport.candidate_errors], [12, 0, 12]);
    assert.equal(legacyReport.recommendation.action, 'keep-shadowing');
  });

  it('never shadows its own candidate calls, and keeps reports for the admin token only', async () => {
    const keyed = await test.server.inject({ method: 'GET', url: '/v1/shadow/new-model/report', headers: bearer(key) });
    assert.equal(keyed.statusCode, 401);
    const missing = await test.server.inject({ method: 'GET', url: '/v1/shadow/nope/report', headers: bearer(adminToken) });
    assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'SHADOW_NOT_FOUND']);
    const primaryCalls = upstream.chatRequests().filter((request) => request.body.model === 'gpt-primary').length;
    const candidateCalls = upstream.chatRequests().filter((request) => request.body.model === 'gpt-candidate').length;
    assert.deepEqual([primaryCalls, candidateCalls], [12, 12]);
  });
});
