import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { answer, OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig } from '../support/test-app.js';

/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against a real
 * Breakwater server on port 0, a real SQLite file and an upstream test double. With
 * BREAKWATER_UI_SCREENSHOTS=docs/ui each page is also saved there as a PNG (the README's).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = process.env.BREAKWATER_UI_SCREENSHOTS;

let upstream: OpenAIUpstream;
let app: TestApp;
let browser: Browser;
let base: string;
/** Chat calls whose last message is "hold" wait for this to be called. */
let release: () => void = () => {};
let held: Promise<void> = Promise.resolve();

before(async () => {
  upstream = await OpenAIUpstream.start(async (request, response) => {
    const messages = request.body.messages as Array<{ content: string }> | undefined;
    if (messages?.at(-1)?.content !== 'hold') return false;
    await held;
    answer(request, response, 'released');
    return true;
  });
  app = await startTestApp(upstreamConfig(upstream.url, { pricing: { 'gpt-4o-mini': { input: 150, output: 600 } } }), { env: { UPSTREAM_KEY: 'sk-test' } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  } catch (error) {
    throw new Error(`Chromium did not start from ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH. ${String(error)}`);
  }
  if (screenshots) mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

async function loggedIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(`${base}/ui/`);
  await page.getByLabel('Admin token or virtual key').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  return { context, page };
}

/** A locator's text as the DOM holds it. */
async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function snap(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  // Away from the charts, so no tooltip is open in the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
}

async function chat(key: string, content: string): Promise<void> {
  const response = await app.server.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: bearer(key),
    payload: { model: 'gpt-test', messages: [{ role: 'user', content }] },
  });
  assert.equal(response.statusCode, 200, response.body);
}

async function submitChatJob(key: string, content: string): Promise<string> {
  const response = await app.server.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: bearer(key),
    payload: { kind: 'chat', request: { model: 'gpt-test', messages: [{ role: 'user', content }] } },
  });
  assert.equal(response.statusCode, 202, response.body);
  return (response.json() as { id: string }).id;
}

test('the main menu works from the keyboard: Tab reaches it, arrows move, Enter opens the page and focuses its heading', async () => {
  const { context, page } = await loggedIn(adminToken);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  let inMenu = false;
  for (let presses = 0; presses < 6 && !inMenu; presses++) {
    await page.keyboard.press('Tab');
    inMenu = await page.evaluate(() => document.activeElement?.closest('nav[aria-label="Main"]') !== null);
  }
  assert.ok(inMenu, 'Tab reaches the main menu');
  const focused = () => page.evaluate(() => document.activeElement?.textContent);
  assert.equal(await focused(), 'Overview');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Requests');
  await page.keyboard.press('End');
  assert.equal(await focused(), 'Keys');
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'Overview');
  await page.keyboard.press('ArrowUp');
  assert.equal(await focused(), 'Keys', 'the arrows wrap around');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await focused(), 'Jobs');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/ui/jobs');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', "the new page's heading has focus");
  assert.equal(await page.getByRole('link', { name: 'Jobs' }).getAttribute('aria-current'), 'page');
  await context.close();
});

test("a key's session sees its own tenant's jobs and usage, never another tenant's", async () => {
  const alpha = await app.key({ name: 'alpha-app', tenant: 'alpha' });
  const beta = await app.key({ name: 'beta-app', tenant: 'beta' });
  const alphaJob = await submitChatJob(alpha, 'alpha work');
  const betaJob = await submitChatJob(beta, 'beta work');
  await chat(alpha, 'alpha call');
  await chat(beta, 'beta call');
  await chat(beta, 'beta call 2');

  const { context, page } = await loggedIn(alpha);
  assert.match((await page.getByTestId('who').textContent()) ?? '', /alpha-app · tenant alpha/);
  // Usage: one chat call of alpha's own (job calls count too once they ran; beta's two never).
  const byGroup = page.getByTestId('usage-by-group');
  await byGroup.waitFor();
  assert.doesNotMatch(await text(page.locator('main')), /beta/);

  // The call log: alpha's requests, each with its detail; none of beta's.
  const ids = async (key: string) =>
    ((await app.server.inject({ method: 'GET', url: '/v1/usage/requests', headers: bearer(key) })).json() as { data: Array<{ request_id: string }> }).data.map(
      (row) => row.request_id,
    );
  const [alphaIds, betaIds] = [await ids(alpha), await ids(beta)];
  await page.getByRole('link', { name: 'Requests' }).click();
  const table = page.getByTestId('requests');
  await table.waitFor();
  assert.equal(await table.locator('tbody tr').count(), alphaIds.length);
  await page.getByRole('button', { name: `Detail of ${alphaIds[0]}` }).click();
  assert.match(await text(table), new RegExp(alphaIds[0]!));
  for (const id of betaIds) assert.doesNotMatch(await text(table), new RegExp(id));
  await snap(page, 'requests');

  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.locator(`tr[data-job-id="${alphaJob}"]`).waitFor();
  assert.equal(await page.locator(`tr[data-job-id="${betaJob}"]`).count(), 0);
  assert.equal(await page.locator('tbody tr').count(), 1, 'only the tenant’s one job is listed');
  await snap(page, 'jobs');

  await page.goto(`${base}/ui/jobs/${betaJob}`);
  await page.getByRole('alert').waitFor();
  assert.match(await text(page.getByRole('alert')), /JOB_NOT_FOUND/);
  await context.close();
});

test("the admin's session lists every tenant's jobs with their tenant, narrows to one, and opens any of them", async () => {
  const gamma = await app.key({ name: 'gamma-app', tenant: 'gamma' });
  const delta = await app.key({ name: 'delta-app', tenant: 'delta' });
  const gammaJob = await submitChatJob(gamma, 'gamma work');
  const deltaJob = await submitChatJob(delta, 'delta work');
  const { context, page } = await loggedIn(adminToken);
  await page.getByRole('link', { name: 'Jobs' }).click();
  const gammaRow = page.locator(`tr[data-job-id="${gammaJob}"]`);
  await gammaRow.waitFor();
  assert.match(await text(gammaRow), /gamma/, 'each row names its tenant');
  assert.match(await text(page.locator(`tr[data-job-id="${deltaJob}"]`)), /delta/);
  await page.getByLabel('Tenant').fill('delta');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.locator(`tr[data-job-id="${gammaJob}"]`).waitFor({ state: 'detached' });
  assert.equal(await page.locator(`tr[data-job-id="${deltaJob}"]`).count(), 1);
  await page.getByRole('link', { name: deltaJob }).click();
  await page.getByTestId('job-status').getByText('succeeded').waitFor();
  assert.match(await text(page.locator('dl.facts')), /Tenant\s*delta/);
  assert.equal(await page.getByRole('button', { name: 'Retry as a new job' }).count(), 0, 'a retry runs under a key, not the admin');
  await context.close();
});

test('a job is watched live over SSE until it ends', async () => {
  const key = await app.key({ name: 'watcher', tenant: 'watch' });
  held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const id = await submitChatJob(key, 'hold');
  const { context, page } = await loggedIn(key);
  await page.getByRole('link', { name: 'Jobs' }).click();
  await page.getByRole('link', { name: id }).click();
  const events = page.getByTestId('job-events');
  await events.getByText('job-start').waitFor();
  assert.equal(await text(page.getByTestId('job-status')), 'running');
  assert.ok(await page.getByRole('button', { name: 'Cancel job' }).isVisible(), 'a running job can be cancelled');
  await snap(page, 'job-running');
  release();
  await events.getByText('job-end').waitFor();
  await page.getByTestId('job-status').getByText('succeeded').waitFor();
  assert.match(await text(page.getByTestId('job-result')), /released/);
  assert.equal(await page.getByRole('button', { name: 'Cancel job' }).count(), 0);
  await context.close();
});

test('a cancelled job is retried from its page as a new job that runs to its end', async () => {
  const key = await app.key({ name: 'retrier', tenant: 'retry' });
  held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const id = await submitChatJob(key, 'hold');
  const { context, page } = await loggedIn(key);
  await page.goto(`${base}/ui/jobs/${id}`);
  await page.getByTestId('job-events').getByText('job-start').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Retry as a new job' }).count(), 0, 'a running job is cancelled, not retried');
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await page.getByTestId('job-status').getByText('cancelled').waitFor();
  release();
  await page.getByRole('button', { name: 'Retry as a new job' }).click();
  // The new job's page, which names the job it retries.
  await page.getByRole('link', { name: id }).waitFor();
  await page.getByTestId('job-status').getByText('succeeded').waitFor();
  const retried = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
  assert.notEqual(retried, id);
  const copy = await app.server.inject({ method: 'GET', url: `/v1/jobs/${retried}`, headers: bearer(key) });
  assert.equal(copy.json().metadata.retry_of, id);
  await context.close();
});

test('the admin creates a key and sees its secret once', async () => {
  const { context, page } = await loggedIn(adminToken);
  await page.locator('figure.chart svg').first().waitFor();
  await snap(page, 'overview');
  // Dark theme: a pressed toggle, kept across a reload.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.reload();
  await page.locator('figure.chart svg').first().waitFor();
  assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
  await snap(page, 'overview-dark');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
  await page.getByLabel('Name').fill('ci-bot');
  await page.getByLabel('Tenant').fill('gamma');
  await page.getByLabel('Requests per minute').fill('120');
  await page.getByLabel('Budget (USD)').fill('25');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await text(page.getByTestId('new-secret'))).trim();
  assert.match(secret, /^bw_/);
  await snap(page, 'keys');
  // The secret shown is the key: it authenticates, in tenant gamma.
  const jobs = await app.server.inject({ method: 'GET', url: '/v1/jobs', headers: bearer(secret) });
  assert.equal(jobs.statusCode, 200);
  const row = page.getByRole('row', { name: /ci-bot/ });
  assert.match(await text(row), /gamma/);
  assert.match(await text(row), /120 req\/min/);
  await page.getByRole('button', { name: 'I have stored it' }).click();
  assert.equal(await page.getByTestId('new-secret').count(), 0);
  await page.reload();
  await page.getByRole('row', { name: /ci-bot/ }).waitFor();
  assert.ok(!(await page.content()).includes(secret), 'the secret is never shown again');
  await context.close();
});

test('a cookie-authenticated state change without the CSRF header is refused; the page itself sends it', async () => {
  const victim = await app.app.keys.create({ name: 'csrf-target' });
  const { context, page } = await loggedIn(adminToken);
  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'bw_session');
  assert.equal(session?.httpOnly, true);
  assert.equal(session?.sameSite, 'Strict');
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('bw_session'), 'scripts cannot read the session cookie');

  const withoutHeader = await page.evaluate(async (id) => {
    const response = await fetch(`/v1/admin/keys/${id}`, { method: 'DELETE' });
    return { status: response.status, body: await response.json() };
  }, victim.key.id);
  assert.equal(withoutHeader.status, 403);
  assert.equal(withoutHeader.body.error.code, 'CSRF_TOKEN_INVALID');
  assert.equal((await app.app.keys.find(victim.key.id))?.revokedAt, null);

  // Revoking from the Keys page (which sends the token) works.
  page.on('dialog', (dialog) => void dialog.accept());
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByRole('button', { name: 'Revoke csrf-target' }).click();
  await page
    .getByRole('row', { name: /csrf-target/ })
    .getByText('revoked')
    .waitFor();
  assert.notEqual((await app.app.keys.find(victim.key.id))?.revokedAt, null);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  assert.equal(
    (await context.cookies()).find((cookie) => cookie.name === 'bw_session'),
    undefined,
  );
  await snap(page, 'login');
  await context.close();
});
