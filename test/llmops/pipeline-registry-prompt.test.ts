import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { untilJobEnds } from '../support/jobs.js';
import { adminToken, bearer, mockModelConfig, startTestApp, type TestApp } from '../support/test-app.js';

describe('pipelines with prompt: name@label take the shared registry version current when each job runs', () => {
  let test: TestApp;
  let key: string;
  before(async () => {
    const { prompt: _inline, ...manifest } = examplePipelines('mock')['delivery-manifest']!;
    test = await startTestApp({
      ...mockModelConfig,
      pipelines: {
        manifest: { ...manifest, model: 'mock', prompt: 'manifest-extract@production' },
        pinned: { ...manifest, model: 'mock', prompt: 'manifest-extract@1' },
        orphan: { ...manifest, model: 'mock', prompt: 'no-such-prompt@production' },
      },
    });
    key = await test.key();
  });
  after(() => test.close());

  const push = (system: string) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/prompts/manifest-extract/versions',
      headers: bearer(adminToken),
      payload: {
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: 'Extract the manifest from {{filename}}:\n{{document}}' },
        ],
        variables: { document: { type: 'string' }, filename: { type: 'string' } },
      },
    });
  const run = async (pipeline: string) => {
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer(key),
      payload: { kind: 'pipeline', pipeline, text: 'Shipment SHP-7 from Oslo to Bergen by DHL, 2 pallets, 40 kg' },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    return (await untilJobEnds(test, key, submitted.json().id)).job;
  };

  it('serves the labelled version, follows a label move on the next job, pins a version, and fails clearly without the prompt', async () => {
    const pushed = await push('You extract shipping manifests. Answer with one JSON object.');
    assert.equal(pushed.json().version, 1, pushed.body);
    assert.equal((await push('V2: you extract shipping manifests. Answer with one JSON object only.')).json().version, 2);
    await test.server.inject({ method: 'PUT', url: '/v1/prompts/manifest-extract/labels/production', headers: bearer(adminToken), payload: { version: 1 } });

    const first = await run('manifest');
    assert.equal(first.status, 'succeeded', JSON.stringify(first.error));
    assert.deepEqual(first.result.prompt, { name: 'manifest-extract', version: 1, label: 'production' });
    const record = (await test.server.inject({ method: 'GET', url: '/v1/pipelines/manifest/records', headers: bearer(key) })).json().data[0];
    assert.equal(record.provenance.prompt_version, 1);

    await test.server.inject({ method: 'PUT', url: '/v1/prompts/manifest-extract/labels/production', headers: bearer(adminToken), payload: { version: 2 } });
    const second = await run('manifest');
    assert.deepEqual(second.result.prompt, { name: 'manifest-extract', version: 2, label: 'production' });
    const pinned = await run('pinned');
    assert.deepEqual(pinned.result.prompt, { name: 'manifest-extract', version: 1, label: null });

    const orphan = await run('orphan');
    assert.equal(orphan.status, 'failed');
    assert.equal(orphan.error.code, 'PROMPT_NOT_FOUND');
    assert.equal(orphan.attempts, 1, 'a missing prompt is not retried');

    const listed = (await test.server.inject({ method: 'GET', url: '/v1/pipelines', headers: bearer(key) })).json().data;
    assert.equal(listed.find((pipeline: { name: string }) => pipeline.name === 'manifest').prompt, 'manifest-extract@production');

    await test.app.ledgerWriter.flush();
    const { default: Database } = await import('better-sqlite3');
    const database = new Database(`${test.folder}/breakwater.db`, { readonly: true });
    const versions = database.prepare("SELECT request_id, prompt_version FROM usage WHERE prompt_name = 'manifest-extract'").all() as Array<{
      request_id: string;
      prompt_version: number;
    }>;
    database.close();
    const byJob = (id: string) => versions.filter((row) => row.request_id.startsWith(`${id}.`)).map((row) => row.prompt_version);
    assert.deepEqual(
      [byJob(first.id), byJob(second.id), byJob(pinned.id)].map((rows) => rows[0]),
      [1, 2, 1],
    );
  });
});
