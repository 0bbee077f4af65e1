import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamConfig } from '../support/test-app.js';

/**
 * The Prompts pages in a real browser against a real server: versions, a diff, a protected
 * label moved and rolled back by the admin session (checked through the API), and a key
 * session that sees its own tenant's prompts and never another tenant's.
 */
const screenshots = process.env.BREAKWATER_UI_SCREENSHOTS;
let upstream: OpenAIUpstream;
let app: TestApp;
let browser: Browser;
let base: string;

const version1 = {
  messages: [
    { role: 'system', content: 'You answer support tickets in a {{tone}} tone.' },
    { role: 'user', content: 'Customer {{customer}} writes: {{ticket}}' },
  ],
  variables: { customer: { type: 'string', maxLength: 40 }, ticket: { type: 'string' }, tone: { type: 'string', enum: ['warm', 'formal'], default: 'warm' } },
  model: 'gpt-test',
  parameters: { temperature: 0.2 },
  description: 'First cut',
};
const version2 = {
  ...version1,
  messages: [{ role: 'system', content: 'Be brief and {{tone}}. Offer a refund when the parcel is late.' }, version1.messages[1]!],
  description: 'Shorter, with the refund rule',
};

before(async () => {
  upstream = await OpenAIUpstream.start();
  app = await startTestApp(upstreamConfig(upstream.url), { env: { UPSTREAM_KEY: 'sk-test' } });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  if (screenshots) mkdirSync(screenshots, { recursive: true });
});
after(async () => {
  await browser?.close();
  await app?.close();
  await upstream?.close();
});

async function push(token: string, name: string, body: Record<string, unknown>): Promise<number> {
  const response = await app.server.inject({ method: 'POST', url: `/v1/prompts/${name}/versions`, headers: bearer(token), payload: body });
  assert.ok(response.statusCode === 201 || response.statusCode === 200, response.body);
  return (response.json() as { version: number }).version;
}

async function production(name: string, tenant?: string): Promise<number | undefined> {
  const response = await app.server.inject({ method: 'GET', url: `/v1/prompts/${name}${tenant ? `?tenant=${tenant}` : ''}`, headers: bearer(adminToken) });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { labels: Record<string, { version: number }> }).labels.production?.version;
}

/** The WCAG contrast ratio of two CSS colours (`rgb(r, g, b)`). */
function contrast(foreground: string, background: string): number {
  const luminance = (color: string) => {
    const [r, g, b] = (color.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

async function login(token: string, path: string, heading: string | RegExp): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/ui${path}`);
  await page.getByLabel('Admin token or virtual key').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  return page;
}

test('the admin moves production to v2 from the page, sees the diff, and rolls back to v1; the API agrees each time', async () => {
  assert.equal(await push(adminToken, 'support-reply', { ...version1, labels: ['production'] }), 1);
  assert.equal(await push(adminToken, 'support-reply', version2), 2);

  const page = await login(adminToken, '/prompts', 'Prompts');
  const row = page.getByTestId('prompts').getByRole('row', { name: /support-reply/ });
  assert.match((await row.textContent()) ?? '', /production → v1/);
  await row.getByRole('link', { name: 'support-reply' }).click();
  await page.getByRole('heading', { level: 1, name: 'Prompt support-reply' }).waitFor();
  const labelVersion = page.getByTestId('label-version-production');
  assert.equal(await labelVersion.textContent(), 'v1');
  assert.equal(await page.getByTestId('prompt-versions').locator('tbody tr').count(), 2);

  // The diff, v1 → v2 by default: the old system message removed, the new one added, the user message kept.
  const diff = page.getByTestId('prompt-diff');
  await diff.locator('del').first().waitFor();
  assert.equal(await diff.locator('del').count(), 2, 'the old system line and description');
  assert.match((await diff.locator('ins').allTextContents()).join('\n'), /\+ Be brief and \{\{tone\}\}\. Offer a refund when the parcel is late\./);
  assert.match((await diff.locator('del').allTextContents()).join('\n'), /− You answer support tickets in a \{\{tone\}\} tone\./);
  assert.match((await diff.textContent()) ?? '', /Customer \{\{customer\}\} writes/);

  // Added and removed lines keep a 4.5:1 contrast in both themes (they are marked by a sign too).
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme ?? 'light'), theme);
    for (const selector of ['ins.diff-add', 'del.diff-del']) {
      const colours = await diff
        .locator(selector)
        .first()
        .evaluate((element) => [getComputedStyle(element).color, getComputedStyle(element).backgroundColor]);
      const ratio = contrast(colours[0]!, colours[1]!);
      assert.ok(ratio >= 4.5, `${selector} in the ${theme} theme: contrast ${ratio.toFixed(2)}`);
    }
  }
  await page.getByRole('button', { name: 'Dark theme' }).click();

  // Move production to v2 (a protected label: the admin session may).
  const move = page.getByRole('form', { name: 'Move a label' });
  await move.getByLabel('Label').fill('production');
  await move.getByLabel('To version').selectOption('2');
  await move.getByRole('button', { name: 'Move label' }).click();
  await page.getByRole('status').filter({ hasText: 'production now points at v2' }).waitFor();
  await page.getByTestId('label-version-production').getByText('v2').waitFor();
  assert.equal(await production('support-reply'), 2, 'the API serves production at v2');
  assert.match((await page.getByTestId('prompt-versions').getByRole('row', { name: /^v2/ }).textContent()) ?? '', /production/);
  await page
    .getByTestId('prompt-audit')
    .getByText(/admin: label production v1 → v2/)
    .waitFor();
  if (screenshots) await page.screenshot({ path: `${screenshots}/prompt.png`, fullPage: true });

  await page.getByRole('button', { name: 'Roll back production' }).click();
  await page.getByRole('status').filter({ hasText: 'Rolled back: production now points at v1' }).waitFor();
  await page.getByTestId('label-version-production').getByText('v1').waitFor();
  assert.equal(await production('support-reply'), 1, 'the API serves production at v1 again');
  await page
    .getByTestId('prompt-audit')
    .getByText(/admin: rollback production v2 → v1/)
    .waitFor();

  // Compare the other way round, chosen from the keyboard-reachable selects.
  const compare = page.getByRole('region', { name: 'Compare versions' });
  await compare.getByRole('combobox', { name: /^From/ }).selectOption('2');
  await compare.getByRole('combobox', { name: /^To/ }).selectOption('1');
  assert.match((await diff.locator('ins').allTextContents()).join('\n'), /\+ You answer support tickets/);
  await page.context().close();
});

test("a key session lists its tenant's prompts, cannot open another tenant's, and cannot move a protected label; the admin moves a label in one tenant's scope", async () => {
  const alpha = await app.key({ name: 'alpha-app', tenant: 'alpha' });
  await app.key({ name: 'beta-app', tenant: 'beta' });
  await push(adminToken, 'alpha-secret-prompt', { ...version1, tenant: 'alpha', labels: ['production'] });
  await push(adminToken, 'beta-only', { ...version1, tenant: 'beta', labels: ['production'] });
  await push(adminToken, 'beta-only', { ...version2, tenant: 'beta' });

  const page = await login(alpha, '/prompts', 'Prompts');
  const table = page.getByTestId('prompts');
  await table.getByRole('link', { name: 'alpha-secret-prompt' }).waitFor();
  const listed = (await table.textContent()) ?? '';
  assert.doesNotMatch(listed, /beta-only/);
  assert.doesNotMatch(listed, /support-reply/, 'the shared prompts are under the Shared scope, not the tenant’s');
  if (screenshots) await page.screenshot({ path: `${screenshots}/prompts.png`, fullPage: true });

  // The shared scope: readable, its labels the admin's.
  await page.getByRole('combobox', { name: /^Scope/ }).selectOption('shared');
  await page.getByRole('button', { name: 'Show' }).click();
  await table.getByRole('link', { name: 'support-reply' }).waitFor();
  assert.doesNotMatch((await table.textContent()) ?? '', /beta-only|alpha-secret-prompt/);

  // Another tenant's prompt by its address: not found, nothing of it shown.
  await page.goto(`${base}/ui/prompts/beta-only`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /PROMPT_NOT_FOUND/);
  assert.equal(await page.getByTestId('prompt-versions').count(), 0);

  // Its own prompt: production is protected, so the key's move is refused and nothing changes.
  await page.goto(`${base}/ui/prompts/alpha-secret-prompt`);
  await page.getByRole('heading', { level: 1, name: 'Prompt alpha-secret-prompt' }).waitFor();
  assert.equal(await page.getByTestId('prompt-scope').textContent(), 'tenant:alpha');
  await page.getByRole('form', { name: 'Move a label' }).getByRole('button', { name: 'Move label' }).click();
  await page.getByRole('alert').filter({ hasText: 'PROMPT_LABEL_PROTECTED' }).waitFor();
  assert.equal(await production('alpha-secret-prompt', 'alpha'), 1);
  await page.context().close();

  // The admin reads one tenant's prompts, and a label moved there lands in that tenant's scope.
  const admin = await login(adminToken, '/prompts', 'Prompts');
  await admin.getByRole('combobox', { name: /^Scope/ }).selectOption('tenant');
  await admin.getByRole('textbox', { name: 'Tenant' }).fill('beta');
  await admin.getByRole('button', { name: 'Show' }).click();
  await admin.getByTestId('prompts').getByRole('link', { name: 'beta-only' }).click();
  await admin.getByRole('heading', { level: 1, name: 'Prompt beta-only' }).waitFor();
  assert.equal(new URL(admin.url()).search, '?tenant=beta');
  assert.equal(await admin.getByTestId('prompt-scope').textContent(), 'tenant:beta');
  const move = admin.getByRole('form', { name: 'Move a label' });
  await move.getByLabel('Label').fill('staging');
  await move.getByRole('combobox', { name: /^To version/ }).selectOption('2');
  await move.getByRole('button', { name: 'Move label' }).click();
  await admin.getByTestId('label-version-staging').getByText('v2').waitFor();
  const beta = (await app.server.inject({ method: 'GET', url: '/v1/prompts/beta-only?tenant=beta', headers: bearer(adminToken) })).json() as {
    labels: Record<string, { version: number }>;
  };
  assert.equal(beta.labels.staging?.version, 2);
  const shared = await app.server.inject({ method: 'GET', url: '/v1/prompts/beta-only', headers: bearer(adminToken) });
  assert.equal(shared.statusCode, 404, 'nothing was written to the shared scope');
  await admin.context().close();
});
