import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp, upstreamConfig, waitFor } from '../support/test-app.js';

/** The approvals inbox in a real browser: a paused refund is approved with edited arguments and the run pays what the approver set. */
const fixture = fileURLToPath(new URL('../workflows/fixtures/refund-workflow.ts', import.meta.url));
const screenshots = process.env.BREAKWATER_UI_SCREENSHOTS;
let upstream: OpenAIUpstream;
let app: TestApp;
let browser: Browser;

before(async () => {
  upstream = await OpenAIUpstream.start();
  app = await startTestApp(upstreamConfig(upstream.url, { workflows: { files: [fixture] }, jobs: { pollMs: 50 } }), { env: { UPSTREAM_KEY: 'sk-test' } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

test('a pending approval is approved from the inbox with edited arguments; another tenant never sees it', async () => {
  const key = await app.key({ name: 'refunds', tenant: 'shop' });
  const other = await app.key({ name: 'elsewhere', tenant: 'other' });
  const run = async (url: string, secret = key) => (await app.server.inject({ method: 'GET', url, headers: bearer(secret) })).json() as Record<string, unknown>;
  const started = await app.server.inject({ method: 'POST', url: '/v1/workflows/refund/runs', headers: bearer(key), payload: { input: { order_id: 'A-7', amount: 250 } } });
  assert.equal(started.statusCode, 202, started.body);
  const id = (started.json() as { id: string }).id;
  await waitFor(async () => (await run(`/v1/workflow-runs/${id}`)).status === 'waiting_approval');

  const base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const login = async (token: string) => {
    await page.goto(`${base}/ui/approvals`);
    await page.getByLabel('Admin token or virtual key').fill(token);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  };
  await login(other);
  await page.getByText('Nothing waits for a decision.').waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();

  await login(key);
  const card = page.getByRole('article', { name: /refund: pay_refund/ });
  await card.waitFor();
  const args = card.getByLabel('Arguments (edit before approving if needed)');
  assert.deepEqual(JSON.parse(await args.inputValue()), { order_id: 'A-7', amount: 250 });
  await args.fill(JSON.stringify({ order_id: 'A-7', amount: 180 }));
  await card.getByLabel('Reason').fill('partial refund agreed');
  if (screenshots) await page.screenshot({ path: `${screenshots}/approvals.png`, fullPage: true });
  await card.getByRole('button', { name: 'Approve' }).click();
  await page.getByText('Nothing waits for a decision.').waitFor();

  await waitFor(async () => (await run(`/v1/workflow-runs/${id}`)).status === 'succeeded');
  const done = (await run(`/v1/workflow-runs/${id}`)) as { context: { refund: { amount: number } } };
  assert.equal(done.context.refund.amount, 180, 'the run paid what the approver set');
  const decided = (await run(`/v1/approvals?status=approved&run=${id}`)) as { data: Array<{ decided_by: string; reason: string }> };
  assert.equal(decided.data[0]?.decided_by, 'refunds');
  assert.equal(decided.data[0]?.reason, 'partial refund agreed');
  await context.close();
});
