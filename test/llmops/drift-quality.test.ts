import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import type { DriftObservation } from '../../src/core/ports/drift-store.js';
import { answer, OpenAIUpstream } from '../support/openai-upstream.js';
import { untilJobEnds } from '../support/jobs.js';
import { adminToken, bearer, startTestApp, type TestApp, upstreamSecret, waitFor } from '../support/test-app.js';

const shipping = Array.from({ length: 20 }, (_, index) => `Where is my parcel number ${index}? The tracking page says it left the depot in Rotterdam.`);
const cooking = Array.from({ length: 20 }, (_, index) => `How long should I roast ${index} kilos of potatoes with rosemary and garlic at 200 degrees?`);
const schema = { type: 'object', required: ['category'], properties: { category: { type: 'string' } }, additionalProperties: false };

interface QualityEntry {
  alias: string;
  prompt: string | null;
  pipeline: string | null;
  judged: boolean;
  input_distance: number | null;
  drifting: Array<{ signal: string }>;
  current: { requests: number; schema_failure_rate: number | null; refusal_rate: number; embedded_inputs: number };
}

describe('drift monitors, quality signals: schema failures, refusals and the input distribution per alias, prompt version and pipeline', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const embedder = new HashedNgramEmbedder({ dimension: 128 });

  before(async () => {
    upstream = await OpenAIUpstream.start((request, response) => {
      const messages = request.body.messages as Array<{ content: string }>;
      const last = messages[messages.length - 1]!.content;
      // The notes pipeline: its first answer misses the schema, the re-ask repairs it.
      if (messages.some((message) => String(message.content).includes('Summarise'))) {
        answer(request, response, JSON.stringify(last.includes('Answer again') ? { summary: 'a parcel' } : { title: 'a parcel' }));
      } else if (last.includes('REFUSE')) answer(request, response, "I'm sorry, but I can't help with that request.");
      else if (last.includes('BAD')) answer(request, response, JSON.stringify({ category: 5 }));
      else answer(request, response, JSON.stringify({ category: 'billing' }));
      return true;
    });
    const deployment = [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }];
    test = await startTestApp(
      {
        providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url, apiKey: { env: 'UPSTREAM_KEY' } } },
        models: { 'gpt-test': { deployments: deployment }, 'gpt-steady': { deployments: deployment } },
        cache: { exact: { enabled: false } },
        monitors: { minRequests: 10, inputEmbedPerSecond: 1000 },
        jobs: { pollMs: 50 },
        pipelines: {
          notes: {
            model: 'gpt-test',
            prompt: { version: 1, template: 'Summarise:\n{{document}}' },
            schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'], additionalProperties: false },
          },
        },
      },
      { env: { UPSTREAM_KEY: upstreamSecret } },
    );
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  /** A reference hour two hours ago, as the recorder would have written it: steady answers about these texts. */
  async function reference(alias: string, texts: readonly string[]): Promise<void> {
    const vectors = await embedder.embed(texts);
    const sum = new Float32Array(embedder.dimension);
    for (const vector of vectors) for (let index = 0; index < sum.length; index++) sum[index]! += vector[index]!;
    const row: DriftObservation = {
      at: Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000,
      alias,
      promptName: null,
      promptVersion: null,
      pipeline: null,
      requests: texts.length,
      schemaChecked: texts.length,
      schemaFailures: 0,
      repairs: 0,
      refusals: 0,
      embedded: texts.length,
      embeddingSum: sum,
      embedder: embedder.id,
    };
    await test.app.store.drift.append([row]);
  }

  const chat = (model: string, content: string) =>
    test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: bearer(key),
      payload: { model, messages: [{ role: 'user', content }], response_format: { type: 'json_schema', json_schema: { name: 'triage', schema } } },
    });

  it('flags the rates that rose and an input distribution that moved, leaves a steady series alone, and exports both', async () => {
    await reference('gpt-test', shipping);
    await reference('gpt-steady', shipping);
    for (let index = 0; index < 20; index++) {
      // gpt-test now: questions about cooking, 4 answers off-schema and 4 refusals (which do not parse either).
      const marker = index % 5 === 0 ? ' BAD' : index % 5 === 1 ? ' REFUSE' : '';
      assert.equal((await chat('gpt-test', `${cooking[index]}${marker}`)).statusCode, 200);
      assert.equal((await chat('gpt-steady', shipping[index]!)).statusCode, 200);
    }

    let quality: QualityEntry[] = [];
    await waitFor(async () => {
      const response = await test.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(adminToken) });
      quality = response.json().quality;
      return quality.filter((entry) => entry.current.requests === 20).length === 2;
    });
    const drifted = quality.find((entry) => entry.alias === 'gpt-test')!;
    assert.deepEqual([drifted.prompt, drifted.pipeline, drifted.judged], [null, null, true]);
    assert.equal(drifted.current.schema_failure_rate, 0.4);
    assert.equal(drifted.current.refusal_rate, 0.2);
    assert.equal(drifted.current.embedded_inputs, 20);
    assert.deepEqual(
      drifted.drifting.map((drift) => drift.signal),
      ['schema_failure_rate', 'refusal_rate', 'input_distribution'],
    );
    const steady = quality.find((entry) => entry.alias === 'gpt-steady')!;
    assert.deepEqual([steady.judged, steady.drifting, steady.current.schema_failure_rate, steady.current.refusal_rate], [true, [], 0, 0]);
    assert.ok(steady.input_distance! < 0.01, `the same inputs: distance ${steady.input_distance}`);
    assert.ok(drifted.input_distance! > 0.2, `other inputs: distance ${drifted.input_distance}`);

    const metrics = (await test.server.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /breakwater_monitor_quality_drift\{alias="gpt-test",prompt="",pipeline="",signal="refusal_rate"\} 1/);
    assert.match(metrics, /breakwater_monitor_quality_drift\{alias="gpt-steady",prompt="",pipeline="",signal="input_distribution"\} 0/);
    assert.match(metrics, /breakwater_monitor_input_distance\{alias="gpt-test",prompt="",pipeline=""\} \d\.\d+/);
  });

  it("puts a pipeline's calls in a series of their own, the re-ask counted as a repair", async () => {
    const submitted = await test.server.inject({
      method: 'POST',
      url: '/v1/jobs',
      headers: bearer(key),
      payload: { kind: 'pipeline', pipeline: 'notes', text: 'Where is my parcel? It left Rotterdam on Monday.' },
    });
    assert.equal(submitted.statusCode, 202, submitted.body);
    const { job } = await untilJobEnds(test, key, submitted.json().id);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    let notes: QualityEntry | undefined;
    await waitFor(async () => {
      const quality = (await test.server.inject({ method: 'GET', url: '/v1/monitors', headers: bearer(adminToken) })).json().quality as QualityEntry[];
      notes = quality.find((entry) => entry.pipeline === 'notes');
      return notes?.current.requests === 2;
    });
    const current = notes!.current as QualityEntry['current'] & { repair_rate: number; schema_checked: number };
    assert.deepEqual([notes!.alias, current.schema_checked, current.schema_failure_rate, current.repair_rate], ['gpt-test', 2, 0.5, 0.5]);
  });
});
