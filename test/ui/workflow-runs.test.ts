import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig, waitFor } from '../support/test-app.js';

/**
 * The Workflow runs pages in a real browser: a refund run paused for approval is reached from
 * the Approvals inbox, approved there from another tab, and its journal then shows, live, the request, the decision,
 * the paid refund and the final transition. Another tenant's key sees none of it.
 */
const fixture = fileURLToPath(new URL('../workflows/fixtures/refund-workflow.ts', import.meta.url));
const screenshots = process.env.BREAKWATER_UI_SCREENSHOTS;
let upstream: OpenAIUpstream;
let app: TestApp;
let browser: Browser;
let base: string;

before(async () => {
  upstream = await OpenAIUpstream.start();
  app = await startTestApp(upstreamConfig(upstream.url, { workflows: { files: [fixture] }, jobs: { pollMs: 50 } }), { env: { UPSTREAM_KEY: 'sk-test' } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

async function login(token: string, path: string, heading: string | RegExp): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/ui${path}`);
  await page.getByLabel('Admin token or virtual key').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page;
}

test('a run is reached from the approvals inbox, approved, and its journal shows the approval; another tenant sees neither the run nor its journal', async () => {
  const key = await app.key({ name: 'refunds', tenant: 'shop' });
  const other = await app.key({ name: 'elsewhere', tenant: 'other' });
  const get = async (url: string, secret = key) => (await app.server.inject({ method: 'GET', url, headers: bearer(secret) })).json() as Record<string, unknown>;
  const start = async (order: string, amount: number) => {
    const started = await app.server.inject({ method: 'POST', url: '/v1/workflows/refund/runs', headers: bearer(key), payload: { input: { order_id: order, amount } } });
    assert.equal(started.statusCode, 202, started.body);
    return (started.json() as { id: string }).id;
  };
  const paused = await start('A-9', 250);
  const small = await start('A-10', 40);
  await waitFor(async () => (await get(`/v1/workflow-runs/${paused}`)).status === 'waiting_approval');
  await waitFor(async () => (await get(`/v1/workflow-runs/${small}`)).status === 'succeeded');

  const page = await login(key, '/approvals', 'Approvals');
  const card = page.getByRole('article', { name: /refund: pay_refund/ });
  await card.getByRole('link', { name: `Run ${paused}: its journal` }).click();
  await page.getByRole('heading', { level: 1, name: `Run ${paused}` }).waitFor();
  assert.equal(new URL(page.url()).pathname, `/ui/workflows/runs/${paused}`);
  assert.equal(await page.getByTestId('run-status').textContent(), 'waiting_approval');
  const journal = page.getByTestId('run-journal');
  await journal.locator('tr[data-kind="approval-request"]').waitFor();
  assert.match((await journal.locator('tr[data-kind="approval-request"]').textContent()) ?? '', /asks a human to approve pay_refund/);
  assert.match((await journal.locator('tr[data-kind="tool-result"]').first().textContent()) ?? '', /lookup_order answered/);

  // Approve from the inbox in a second tab: the run's page follows the run's event stream and
  // shows the decision and the end without a reload.
  await page.evaluate(() => {
    (window as unknown as { notReloaded: boolean }).notReloaded = true;
  });
  const inbox = await page.context().newPage();
  await inbox.goto(`${base}/ui/approvals`);
  const inboxCard = inbox.getByRole('article', { name: /refund: pay_refund/ });
  await inboxCard.getByLabel('Reason').fill('customer verified');
  await inboxCard.getByRole('button', { name: 'Approve' }).click();
  await inbox.getByText('Nothing waits for a decision.').waitFor();
  await inbox.close();
  await page.getByTestId('run-status').getByText('succeeded').waitFor();
  assert.equal(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded), true, 'the page was not reloaded');
  const decision = journal.locator('tr[data-kind="approval-decision"]');
  await decision.waitFor();
  await journal.locator('tr[data-kind="transition"]').filter({ hasText: 'pay → refunded' }).waitFor();
  assert.match((await decision.textContent()) ?? '', /pay_refund approved/);
  assert.match((await decision.textContent()) ?? '', /refunds/, 'the decision names who approved');
  const entries = (await get(`/v1/workflow-runs/${paused}/journal`)) as { data: Array<{ kind: string }> };
  assert.equal(await journal.locator('tbody tr').count(), entries.data.length, 'every journal entry is shown');
  assert.deepEqual(
    await journal.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind'))),
    entries.data.map((entry) => entry.kind),
  );
  assert.match((await page.getByTestId('run-approvals').textContent()) ?? '', /pay_refund approved by refunds/);
  assert.match((await page.getByTestId('run-approvals').textContent()) ?? '', /customer verified/);
  assert.match((await page.getByTestId('run-context').textContent()) ?? '', /"amount": 250/);
  await journal.getByText('Input and output of step 1', { exact: true }).waitFor();
  if (screenshots) await page.screenshot({ path: `${screenshots}/workflow-run.png`, fullPage: true });

  // The runs table with its status filter.
  await page.getByRole('link', { name: 'Workflow runs', exact: true }).click();
  const runs = page.getByTestId('runs');
  await runs.locator(`tr[data-run-id="${paused}"]`).waitFor();
  assert.equal(await runs.locator('tbody tr').count(), 2);
  if (screenshots) await page.screenshot({ path: `${screenshots}/workflow-runs.png`, fullPage: true });
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('waiting_approval');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByText('No runs match.').waitFor();
  await page.getByRole('combobox', { name: /^Status/ }).selectOption('succeeded');
  await page.getByRole('button', { name: 'Filter' }).click();
  await runs.locator(`tr[data-run-id="${small}"]`).waitFor();
  assert.equal(await runs.locator('tbody tr').count(), 2);
  await page.context().close();

  // Another tenant: an empty table, and the run's address answers not found, with no journal.
  const outsider = await login(other, '/workflows', 'Workflow runs');
  await outsider.getByText('No runs match.').waitFor();
  await outsider.goto(`${base}/ui/workflows/runs/${paused}`);
  await outsider.getByRole('heading', { level: 1, name: `Run ${paused}` }).waitFor();
  const alert = outsider.getByRole('alert').first();
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /WORKFLOW_RUN_NOT_FOUND/);
  await outsider.getByRole('region', { name: 'Journal' }).getByRole('alert').waitFor();
  assert.equal(await outsider.getByTestId('run-journal').count(), 0);
  assert.doesNotMatch((await outsider.locator('main').textContent()) ?? '', /A-9|pay_refund/);
  await outsider.context().close();
});

test("the admin's session lists every tenant's runs with their tenant and opens another tenant's run, its journal and a cancel", async () => {
  const north = await app.key({ name: 'north-app', tenant: 'north' });
  const south = await app.key({ name: 'south-app', tenant: 'south' });
  const start = async (secret: string, order: string, amount: number) => {
    const started = await app.server.inject({ method: 'POST', url: '/v1/workflows/refund/runs', headers: bearer(secret), payload: { input: { order_id: order, amount } } });
    assert.equal(started.statusCode, 202, started.body);
    return (started.json() as { id: string }).id;
  };
  const northRun = await start(north, 'N-1', 20);
  const southRun = await start(south, 'S-1', 250);
  const status = async (id: string, secret: string) =>
    ((await app.server.inject({ method: 'GET', url: `/v1/workflow-runs/${id}`, headers: bearer(secret) })).json() as { status: string }).status;
  await waitFor(async () => (await status(northRun, north)) === 'succeeded');
  await waitFor(async () => (await status(southRun, south)) === 'waiting_approval');

  const page = await login(adminToken, '/workflows', 'Workflow runs');
  const northRow = page.locator(`tr[data-run-id="${northRun}"]`);
  await northRow.waitFor();
  assert.match((await northRow.textContent()) ?? '', /north/, 'each row names its tenant');
  await page.getByLabel('Tenant').fill('south');
  await page.getByRole('button', { name: 'Filter' }).click();
  await northRow.waitFor({ state: 'detached' });
  await page.getByRole('link', { name: southRun }).click();
  await page.getByRole('heading', { level: 1, name: `Run ${southRun}` }).waitFor();
  assert.match((await page.locator('dl.facts').textContent()) ?? '', /Tenant\s*south/);
  await page.getByTestId('run-journal').locator('tr[data-kind="approval-request"]').waitFor();
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.getByTestId('run-status').getByText('cancelled').waitFor();
  assert.equal(await status(southRun, south), 'cancelled', "the tenant's key sees the admin's cancel");
  await page.context().close();
});
