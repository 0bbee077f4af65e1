import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { examplePipelines } from '../../src/config/example-pipelines.js';
import { SchemaValidator } from '../../src/core/extraction/schema-validator.js';
import { writeTinyGguf } from '../support/tiny-gguf.js';
import { repository } from '../support/processes.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The local-model promise end to end: `breakwater run invoice samples/invoices/*` against a
 * GGUF model in this process — no API key in the environment, no network — gives a record
 * that matches the invoice schema for every sample. The model is written here (random
 * weights); the grammar built from the schema is what makes its answers valid.
 */
describe('breakwater run invoice samples/invoices/* on a local GGUF model, offline and keyless', () => {
  let test: TestApp;
  let url: string;
  let key: string;
  let modelFolder: string;

  before(async () => {
    modelFolder = mkdtempSync(join(tmpdir(), 'breakwater-local-model-'));
    const modelPath = join(modelFolder, 'tiny.gguf');
    writeTinyGguf(modelPath, { layers: 2, embeddingLength: 64, heads: 2, contextLength: 8192, seed: 5 });
    const invoice = examplePipelines('local').invoice!;
    test = await startTestApp(
      {
        providers: { local: { type: 'local', model: modelPath, contextSize: 8192, sequences: 2 } },
        models: { local: { deployments: [{ provider: 'local', model: 'tiny' }] } },
        jobs: { concurrency: 2, pollMs: 50 },
        pipelines: { invoice: { ...invoice, model: 'local' } },
      },
      { env: { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' } },
    );
    await test.server.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(test.server.server.address() as AddressInfo).port}`;
    key = await test.key();
  });

  after(async () => {
    await test?.close();
    rmSync(modelFolder, { recursive: true, force: true });
  });

  it('writes a schema-valid record for every sample invoice', { timeout: 180_000 }, async () => {
    const files = readdirSync(join(repository, 'samples/invoices')).map((name) => join('samples/invoices', name));
    const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'run', 'invoice', ...files, '--url', url, '--key', key],
        { cwd: repository, env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', BREAKWATER_CONFIG: '' }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, new RegExp(`${files.length} succeeded, 0 failed`));

    const records = (await test.server.inject({ method: 'GET', url: '/v1/pipelines/invoice/records?limit=100', headers: bearer(key) })).json();
    assert.equal(records.data.length, files.length);
    const validator = SchemaValidator.compile(examplePipelines('local').invoice!.schema!);
    for (const record of records.data) {
      assert.deepEqual(validator.validate(record.data), { ok: true });
      assert.equal(record.provenance.deployment, 'local/tiny');
      assert.equal(record.provenance.attempts, 1, 'valid at the first answer: the grammar, not a re-ask, made it so');
    }
  });
});
