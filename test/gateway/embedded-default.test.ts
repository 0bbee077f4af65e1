import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LocalProvider } from '../../src/adapters/providers/local/local-provider.js';
import pino from 'pino';
import { modelFetcher } from '../../src/cli/models/fetch-model.js';
import { resolveModelSource } from '../../src/cli/models/model-catalogue.js';
import { defaultLocalModels } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { writeTinyGguf } from '../support/tiny-gguf.js';

/*
 * Issue: "With no provider key in the environment, the default config routes to the local
 * model. Offline with no model: /v1/chat/completions answers 503 with a message naming the
 * command that fixes it; the server still starts and everything else works."
 */
const chatBody = (model: string) => ({ model, messages: [{ role: 'user', content: 'hello' }], max_tokens: 4 });
const pullCommand = new RegExp(`\`breakwater models pull ${defaultLocalModels.chat.pull.replaceAll('.', '\\.')}\``);

describe('the embedded default with no provider key, offline, no model pulled', () => {
  const models = mkdtempSync(join(tmpdir(), 'breakwater-models-'));
  let test: TestApp;
  let key: string;
  const auth = () => ({ authorization: `Bearer ${key}` });

  before(async () => {
    // Port 1 refuses connections: what an offline machine's first-use download meets.
    const env = { BREAKWATER_MODELS_DIR: models, BREAKWATER_MODEL_HUB: 'http://127.0.0.1:1' };
    test = await startTestApp({}, { env, services: { fetchModel: modelFetcher(env, pino({ level: 'silent' })) } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    rmSync(models, { recursive: true, force: true });
  });

  it('routes `default` to the local model and answers 503 naming the pull command', async () => {
    const listed = await test.server.inject({ method: 'GET', url: '/v1/models', headers: auth() });
    const ids = (listed.json().data as Array<{ id: string }>).map((model) => model.id);
    assert.ok(ids.includes('default') && ids.includes('local') && ids.includes('local-embedding'), ids.join(', '));

    const first = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth(), payload: chatBody('default') });
    assert.equal(first.statusCode, 503);
    assert.equal(first.json().error.code, 'GATEWAY_UPSTREAM_UNAVAILABLE');
    assert.match(first.json().error.message, pullCommand);
    await (test.app.providers.get('local') as LocalProvider).downloaded();

    const chat = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth(), payload: chatBody('default') });
    assert.equal(chat.statusCode, 503);
    const error = chat.json().error as { code: string; message: string };
    assert.equal(error.code, 'GATEWAY_UPSTREAM_UNAVAILABLE');
    assert.match(error.message, /Downloading it on first use failed/);
    assert.match(error.message, pullCommand);
    assert.ok(error.message.includes(join(models, defaultLocalModels.chat.file)), error.message);
  });

  it('keeps everything else working: health, the mock model, the example pipelines on the mock', async () => {
    assert.equal((await test.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const chat = await test.server.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: auth(),
      payload: { model: 'mock', messages: [{ role: 'user', content: 'hello' }] },
    });
    assert.equal(chat.statusCode, 200);
    assert.equal(test.app.config.pipelines.invoice?.model, 'mock', 'no model on disk: the examples stay runnable');
  });
});

describe('the embedded default with no provider key, online, no model pulled', () => {
  const models = mkdtempSync(join(tmpdir(), 'breakwater-models-'));
  const tiny = join(mkdtempSync(join(tmpdir(), 'breakwater-hub-')), 'tiny.gguf');
  writeTinyGguf(tiny, { layers: 1, embeddingLength: 64, heads: 2, contextLength: 2048, seed: 7 });
  const requested: string[] = [];
  // A hub on port 0 serving the tiny model under the recommended model's published path.
  const hub = createServer((request, response) => {
    requested.push(request.url ?? '');
    if (request.url !== '/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf') return void response.writeHead(404).end();
    const bytes = readFileSync(tiny);
    response.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  });
  let test: TestApp;
  let key: string;

  before(async () => {
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    const env = { BREAKWATER_MODELS_DIR: models, BREAKWATER_MODEL_HUB: hubUrl };
    test = await startTestApp({}, { env, services: { fetchModel: modelFetcher(env, pino({ level: 'silent' })) } });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    hub.close();
    rmSync(models, { recursive: true, force: true });
    rmSync(dirname(tiny), { recursive: true, force: true });
  });

  it('pulls the model on first use, answering 503 with Retry-After meanwhile, then serves from it', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const first = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: chatBody('default') });
    assert.equal(first.statusCode, 503);
    assert.match(first.json().error.message, /being downloaded on first use/);
    assert.equal(first.headers['retry-after'], '30');
    await (test.app.providers.get('local') as LocalProvider).downloaded();
    assert.ok(existsSync(join(models, defaultLocalModels.chat.file)));

    const chat = await test.server.inject({ method: 'POST', url: '/v1/chat/completions', headers: auth, payload: chatBody('default') });
    assert.equal(chat.statusCode, 200, chat.body);
    assert.equal(chat.headers['x-breakwater-deployment'], `local/${defaultLocalModels.chat.pull}`);
    assert.equal(requested.length, 1, 'downloaded once');
  });
});

describe('the embedded default catalogue', () => {
  it('sends `default` to a provider whose key is set, before the local model', () => {
    assert.deepEqual(
      loadConfig({ env: {} }).config.models.default?.deployments.map((each) => each.provider),
      ['local'],
    );
    assert.deepEqual(
      loadConfig({ env: { ANTHROPIC_API_KEY: 'sk-ant' } }).config.models.default?.deployments.map((each) => each.provider),
      ['anthropic'],
    );
    assert.deepEqual(
      loadConfig({ env: { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant' } }).config.models.default?.deployments.map((each) => each.model),
      ['gpt-4o-mini'],
    );
  });

  it('extracts with the local model once it has been pulled', async () => {
    const models = mkdtempSync(join(tmpdir(), 'breakwater-models-'));
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(models, defaultLocalModels.chat.file), 'GGUF');
      assert.equal(loadConfig({ env: { BREAKWATER_MODELS_DIR: models } }).config.pipelines.invoice?.model, 'local');
    } finally {
      rmSync(models, { recursive: true, force: true });
    }
  });

  it('names models that `breakwater models pull` knows, under the file names it writes', () => {
    for (const model of Object.values(defaultLocalModels)) assert.equal(resolveModelSource(model.pull).fileName, model.file);
  });
});
