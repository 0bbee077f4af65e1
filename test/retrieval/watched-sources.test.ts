import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { type App, createApp, type Role } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { buildServer } from '../../src/http/server.js';
import { untilJobEnds } from '../support/jobs.js';
import { bearer, type TestApp, waitFor } from '../support/test-app.js';

// Two worker nodes on one store (the same SQLite files) with the same watched directory: each
// round is claimed in the collection store, so its ingest jobs are queued once, not once per node.
async function node(folder: string, sources: Record<string, unknown>, role: Role = 'all') {
  const path = join(folder, `breakwater-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, JSON.stringify({ store: { driver: 'sqlite', path: join(folder, 'breakwater.db') }, retrieval: { sources }, log: { level: 'silent' } }));
  const app: App = await createApp(loadConfig({ path, env: {} }), { logger: pino({ level: 'silent' }), role });
  const server = await buildServer(app);
  await server.ready();
  return {
    app,
    server,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}

describe('watched sources run by the server', () => {
  let folder: string;
  let docs: string;
  let secret: string;
  let a: Awaited<ReturnType<typeof node>>;
  let b: Awaited<ReturnType<typeof node>>;
  const jobsOf = async () => {
    const listed = await a.server.inject({ method: 'GET', url: '/v1/jobs?limit=100', headers: bearer(secret) });
    return (listed.json().data as Array<{ id: string; kind?: string; status: string }>).filter((job) => job.kind === undefined || job.kind === 'ingest');
  };
  const documents = async () => {
    const listed = await a.server.inject({ method: 'GET', url: '/v1/collections/handbook/documents', headers: bearer(secret) });
    return listed.statusCode === 200 ? (listed.json().data as Array<{ name: string; content_hash: string }>) : [];
  };

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'bw-sources-'));
    docs = join(folder, 'docs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'leave.md'), '# Leave\n\nFull-time staff get 26 days of annual leave.');
    writeFileSync(join(docs, 'travel.md'), '# Travel\n\nBook trains for trips under four hours.');
    // The key the source ingests as must exist before the nodes read their configuration.
    const setup = await node(folder, {}, 'api');
    const key = await setup.app.keys.create({ name: 'sources', tenant: 'acme' });
    secret = key.secret;
    await setup.close();
    const sources = { handbook: { collection: 'handbook', key: key.key.id, every: 3600, directory: docs, prune: true } };
    [a, b] = await Promise.all([node(folder, sources), node(folder, sources)]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('ingests the directory on start through the queue, once across both nodes', async () => {
    await waitFor(async () => (await documents()).length === 2);
    const jobs = await jobsOf();
    assert.equal(jobs.length, 1, `one ingest job for the first round, not one per node: ${JSON.stringify(jobs)}`);
  });

  it('a later round, due on both nodes at once, is run by one: changed and vanished files only', async () => {
    const before = new Map((await documents()).map((document) => [document.name, document.content_hash]));
    writeFileSync(join(docs, 'leave.md'), '# Leave\n\nFull-time staff get 28 days of annual leave.');
    rmSync(join(docs, 'travel.md'));
    writeFileSync(join(docs, 'expenses.md'), '# Expenses\n\nReceipts within 30 days.');
    const due = Date.now() + 3_600_000 + 1;
    const rounds = await Promise.all([a.app.retrieval!.sources!.tick('handbook', due), b.app.retrieval!.sources!.tick('handbook', due)]);
    const ran = rounds.filter((round) => round !== undefined);
    assert.equal(ran.length, 1, 'exactly one node claimed the round');
    assert.deepEqual({ sent: ran[0]!.sent, deleted: ran[0]!.deleted }, { sent: 2, deleted: 1 });
    for (const id of ran[0]!.jobs) assert.equal((await untilJobEnds({ server: a.server } as TestApp, secret, id)).job.status, 'succeeded');
    const after = new Map((await documents()).map((document) => [document.name, document.content_hash]));
    assert.deepEqual([...after.keys()].sort(), ['expenses.md', 'leave.md']);
    assert.notEqual(after.get('leave.md'), before.get('leave.md'));
    assert.equal((await jobsOf()).length, 2);
    // Not due again until `every` has passed.
    assert.equal(await a.app.retrieval!.sources!.tick('handbook', due + 1_000), undefined);
  });
});
