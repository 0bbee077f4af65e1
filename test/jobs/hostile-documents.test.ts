import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { submitJob, untilJobEnds } from '../support/jobs.js';
import { docxBomb } from '../support/zip-archive.js';

/**
 * Hostile documents against the embedded default (`all` role: the API and the job worker in
 * one process): each fails its job once, with a code and a message naming the setting, and
 * the API keeps answering while the document is read.
 */
describe('hostile documents in the all role', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      jobs: { retryBaseMs: 10, retryMaxMs: 50, pollMs: 50, recoverMs: 100, maxAttempts: 3, documents: { timeoutMs: 2_000, maxPages: 10_000 } },
      pipelines: {
        notes: {
          model: 'gpt-test',
          prompt: { version: 1, template: 'Summarise:\n{{document}}' },
          schema: { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] },
        },
      },
    });
    key = await test.key();
  });
  after(async () => {
    await test.close();
    await upstream.close();
  });

  it('a .docx zip bomb fails its job at once with DOCUMENT_TOO_LARGE, never retried, without calling the model', async () => {
    const submitted = (
      await submitJob(test, key, { kind: 'pipeline', pipeline: 'notes', document: { name: 'bomb.docx', data: docxBomb({ inflatedMiB: 1024 }).toString('base64') } })
    ).json();
    const { job } = await untilJobEnds(test, key, submitted.id);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'DOCUMENT_TOO_LARGE');
    assert.match(job.error.message, /^bomb\.docx: the Word document unpacks to more than .*jobs\.documents\.maxChars/);
    assert.equal(job.attempts, 1);
    assert.equal(upstream.chatRequests().length, 0);
  });

  it('a PDF that takes longer than jobs.documents.timeoutMs fails its job once, while /healthz answers and the event loop stays free', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (let number = 1; number <= 3_000; number++) pdf.addPage([400, 400]).drawText(`Page ${number}`, { x: 40, y: 350, size: 12, font });
    const bytes = Buffer.from(await pdf.save({ useObjectStreams: false }));

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const submitted = (await submitJob(test, key, { kind: 'pipeline', pipeline: 'notes', document: { name: 'slow.pdf', data: bytes.toString('base64') } })).json();
    const ending = untilJobEnds(test, key, submitted.id);
    let health = 0;
    let ended = false;
    void ending.finally(() => (ended = true));
    while (!ended) {
      assert.equal((await test.server.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      health++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { job } = await ending;
    delay.disable();
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'DOCUMENT_TOO_LARGE');
    assert.match(job.error.message, /^slow\.pdf: reading the document took longer than 2,000 ms \(jobs\.documents\.timeoutMs\)/);
    assert.equal(job.attempts, 1);
    assert.ok(health > 10, `/healthz answered ${health} times while the PDF was read`);
    assert.ok(delay.max / 1e6 < 200, `the event loop was held for ${Math.round(delay.max / 1e6)} ms`);
  });
});
