import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { UsageRow } from '../../src/core/ports/store.js';
import { answer, OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamSecret } from '../support/test-app.js';

/**
 * The Shadow and Drift pages in a real browser against a seeded server: twelve sampled calls
 * whose candidate gets `total` wrong on every third, and ledger rows whose last hour is three
 * times slower than the day before. The pages show the report's and the monitors' own figures.
 */
const screenshots = process.env.BREAKWATER_UI_SCREENSHOTS;
let upstream: OpenAIUpstream;
let app: TestApp;
let browser: Browser;
let base: string;

function invoice(n: number, model: string): Record<string, unknown> {
  return {
    invoice_number: `INV-${n}`,
    vendor: model === 'gpt-candidate' ? '  ACME   gmbh ' : 'Acme GmbH',
    total: model === 'gpt-candidate' && n % 3 === 0 ? 999 : 100 + n,
    contact: `billing${n}@acme.example`,
  };
}

function usage(ts: number, index: number, overrides: Partial<UsageRow>): UsageRow {
  return {
    ts,
    requestId: `r-${ts}-${index}`,
    keyId: 'key_1',
    alias: 'primary',
    deployment: 'upstream/gpt-primary',
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

before(async () => {
  upstream = await OpenAIUpstream.start((request, response) => {
    const messages = request.body.messages as Array<{ content: string }>;
    const n = Number(/ticket (\d+)/.exec(messages.at(-1)!.content)?.[1] ?? 0);
    answer(request, response, JSON.stringify(invoice(n, String(request.body.model))));
    return true;
  });
  app = await startTestApp(
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
      },
      monitors: { windowMinutes: 60, referenceHours: 24, minRequests: 10 },
    },
    { env: { UPSTREAM_KEY: upstreamSecret } },
  );
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });

  const key = await app.key({ name: 'billing', tenant: 'finance' });
  for (let n = 1; n <= 12; n++) {
    const response = await app.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(key),
      payload: { model: 'primary', messages: [{ role: 'user', content: `Extract ticket ${n}` }] },
    });
    assert.equal(response.statusCode, 200, response.body);
  }
  for (const runner of app.app.shadows.values()) await runner.idle();

  // Drift: triage@3 is three times slower this hour than over the day before; triage@2 is steady.
  const now = Date.now();
  const rows: UsageRow[] = [];
  for (let index = 0; index < 20; index++) {
    rows.push(usage(now - 2 * 3_600_000 - index * 1_700_000, index, {}));
    rows.push(usage(now - 60_000 - index * 1_000, index, { latencyMs: 300 }));
    rows.push(usage(now - 3 * 3_600_000 - index * 1_000, index, { promptVersion: 2 }));
    rows.push(usage(now - 120_000 - index * 1_000, index, { promptVersion: 2 }));
  }
  await app.app.store.ledger.appendUsage(rows);
});
after(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

async function login(token: string, path: string, heading: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/ui${path}`);
  await page.getByLabel('Admin token or virtual key').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page;
}

test("the Shadow page shows the report's agreement per field, masked disagreeing examples and its recommendation, primary beside candidate", async () => {
  const report = (await app.server.inject({ method: 'GET', url: '/v1/shadow/new-model/report', headers: bearer(adminToken) })).json() as {
    agreement: number;
    disagreements: unknown[];
    recommendation: { action: string; reasons: string[] };
  };
  assert.equal(report.recommendation.action, 'do-not-promote');

  const page = await login(adminToken, '/shadow', 'Shadow');
  const card = page.getByRole('article', { name: /new-model/ });
  await card.getByTestId('shadow-fields').waitFor();
  assert.equal(await card.getByTestId('shadow-agreement').textContent(), `${((44 / 48) * 100).toFixed(1)}%`);
  assert.equal(await card.getByRole('heading', { level: 2 }).getByText('do-not-promote').count(), 1);
  assert.match((await card.getByTestId('shadow-reasons').textContent()) ?? '', new RegExp(report.recommendation.reasons[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const total = card.getByTestId('shadow-fields').getByRole('row', { name: /^total/ });
  assert.match((await total.textContent()) ?? '', /66\.7%/);
  assert.match((await total.textContent()) ?? '', /12$/);
  assert.match((await card.getByRole('region', { name: 'new-model: primary' }).textContent()) ?? '', /alias primary/);
  assert.match((await card.getByRole('region', { name: 'new-model: candidate' }).textContent()) ?? '', /alias candidate/);
  const examples = card.getByTestId('shadow-disagreements').locator(':scope > li');
  assert.equal(await examples.count(), report.disagreements.length);
  assert.equal(await examples.count(), 4);
  const first = (await examples.first().textContent()) ?? '';
  assert.match(first, /fields total/);
  assert.match(first, /999/, "the candidate's wrong total is shown");
  assert.match(first, /\[EMAIL\]/);
  assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /@acme\.example/, 'personal data stays masked');
  if (screenshots) await page.screenshot({ path: `${screenshots}/shadow.png`, fullPage: true });
  await page.context().close();

  // A key session: the reports span every tenant, so the page says so and shows none.
  const keyed = await login(await app.key({ name: 'nosy', tenant: 'finance' }), '/shadow', 'Shadow');
  await keyed.getByText(/log in with the admin token/).waitFor();
  assert.equal(await keyed.getByRole('article').count(), 0);
  await keyed.context().close();
});

test('the Drift page shows each alias and prompt version with its state and the drifting signals', async () => {
  const page = await login(adminToken, '/drift', 'Drift');
  const table = page.getByTestId('monitors');
  await table.waitFor();
  const drifted = table.locator('tr[data-series="triage@3"]');
  const steady = table.locator('tr[data-series="triage@2"]');
  assert.match((await drifted.textContent()) ?? '', /drifting/);
  assert.match((await drifted.textContent()) ?? '', /latency \+200%/);
  assert.match((await drifted.textContent()) ?? '', /300 ms \/ 100 ms/);
  assert.match((await steady.textContent()) ?? '', /steady/);
  assert.doesNotMatch((await steady.textContent()) ?? '', /latency \+/);
  // The twelve live calls (and their shadow's) are series too: new this hour, so not judged.
  assert.match((await table.locator('tr[data-series="primary"]').textContent()) ?? '', /not judged/);
  const monitors = (await app.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(adminToken) })).json() as {
    data: Array<{ alias: string; prompt: string | null }>;
  };
  assert.equal(await table.locator('tbody tr').count(), monitors.data.length, 'one row per series');
  assert.equal(await page.getByTestId('drift-summary').textContent(), `1 of ${monitors.data.length} series is drifting.`);
  if (screenshots) await page.screenshot({ path: `${screenshots}/drift.png`, fullPage: true });
  await page.context().close();

  const keyed = await login(await app.key({ name: 'nosy-drift', tenant: 'finance' }), '/drift', 'Drift');
  await keyed.getByText(/log in with the admin token/).waitFor();
  assert.equal(await keyed.getByTestId('monitors').count(), 0);
  await keyed.context().close();
});
