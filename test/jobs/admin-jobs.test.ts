import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJobEvents, submitJob, untilJobEnds } from '../support/jobs.js';
import { adminToken, bearer, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The admin token reads and cancels every tenant's jobs (the dashboard's admin view); a key
 * stays within its tenant, and submitting still takes a key (a job runs under the key that sent it).
 */
describe("jobs API: the admin's view of every tenant", () => {
  let test: TestApp;
  let acme: string;
  let globex: string;
  const ids: Record<'acme' | 'globex' | 'delayed', string> = { acme: '', globex: '', delayed: '' };

  const chat = (content: string, extra: Record<string, unknown> = {}) => ({ kind: 'chat', request: { model: 'mock', messages: [{ role: 'user', content }] }, ...extra });
  const get = (url: string, token: string) => test.server.inject({ method: 'GET', url, headers: bearer(token) });

  before(async () => {
    test = await startTestApp({ ...mockModelConfig, jobs: { pollMs: 20 } });
    acme = await test.key({ name: 'acme', tenant: 'acme' });
    globex = await test.key({ name: 'globex', tenant: 'globex' });
    ids.acme = (await submitJob(test, acme, chat('acme asks'))).json().id;
    ids.globex = (await submitJob(test, globex, chat('globex asks'))).json().id;
    ids.delayed = (await submitJob(test, globex, chat('later', { delay_seconds: 3600 }))).json().id;
    for (const [id, key] of [
      [ids.acme, acme],
      [ids.globex, globex],
    ] as const)
      assert.equal((await untilJobEnds(test, key, id)).job.status, 'succeeded');
  });
  after(() => test.close());

  it("lists every tenant's jobs, newest first, each with its tenant; ?tenant= narrows to one", async () => {
    const all = await get('/v1/jobs?limit=100', adminToken);
    assert.equal(all.statusCode, 200, all.body);
    const listed = all.json().data as Array<{ id: string; tenant?: string }>;
    assert.deepEqual(
      listed.map((job) => [job.id, job.tenant]),
      [
        [ids.delayed, 'globex'],
        [ids.globex, 'globex'],
        [ids.acme, 'acme'],
      ],
    );
    const narrowed = (await get('/v1/jobs?tenant=acme', adminToken)).json().data as Array<{ id: string }>;
    assert.deepEqual(
      narrowed.map((job) => job.id),
      [ids.acme],
    );
    // Paged by the same cursor as a key's list.
    const first = (await get('/v1/jobs?limit=2', adminToken)).json();
    assert.equal(first.has_more, true);
    const second = (await get(`/v1/jobs?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`, adminToken)).json();
    assert.deepEqual(
      second.data.map((job: { id: string }) => job.id),
      [ids.acme],
    );
  });

  it("reads another tenant's job with its deliveries and streams its events", async () => {
    const job = await get(`/v1/jobs/${ids.globex}`, adminToken);
    assert.equal(job.statusCode, 200, job.body);
    assert.equal(job.json().tenant, 'globex');
    assert.equal(job.json().status, 'succeeded');
    const events = await get(`/v1/jobs/${ids.globex}/events`, adminToken);
    assert.equal(events.statusCode, 200);
    assert.deepEqual(
      parseJobEvents(events.body).map((event) => event.event),
      ['job-queued', 'job-start', 'job-end'],
    );
  });

  it("cancels another tenant's queued job", async () => {
    const cancelled = await test.server.inject({ method: 'POST', url: `/v1/jobs/${ids.delayed}/cancel`, headers: bearer(adminToken) });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.equal(cancelled.json().status, 'cancelled');
    assert.equal((await get(`/v1/jobs/${ids.delayed}`, globex)).json().status, 'cancelled', "the tenant's key sees it cancelled");
  });

  it('a key still sees only its own tenant: no tenant field, no other tenant by id, list or ?tenant=', async () => {
    const own = (await get('/v1/jobs', acme)).json().data as Array<{ id: string; tenant?: string }>;
    assert.deepEqual(
      own.map((job) => job.id),
      [ids.acme],
    );
    assert.equal(own[0]!.tenant, undefined);
    assert.equal((await get(`/v1/jobs/${ids.globex}`, acme)).statusCode, 404);
    assert.equal((await get(`/v1/jobs/${ids.globex}/events`, acme)).statusCode, 404);
    const other = await get('/v1/jobs?tenant=globex', acme);
    assert.equal(other.statusCode, 400);
    assert.equal(other.json().error.param, 'tenant');
  });

  it('submitting and retrying still take a key; no token is refused', async () => {
    const submitted = await test.server.inject({ method: 'POST', url: '/v1/jobs', headers: bearer(adminToken), payload: chat('admin asks') });
    assert.equal(submitted.statusCode, 401, submitted.body);
    const anonymous = await test.server.inject({ method: 'GET', url: '/v1/jobs' });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(typeof anonymous.json().error.code, 'string');
  });
});
