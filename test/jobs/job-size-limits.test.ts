import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { offThreadParseBytes } from '../../src/http/json-body.js';
import { OpenAIUpstream } from '../support/openai-upstream.js';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A job's strings are bounded by what a job may hold: no string longer than the largest
 * document in base64 (refused by the body's shape scan, before the string is built on the
 * event loop), and a text job's text no longer than a document's extracted text may be.
 * Both refusals are DOCUMENT_TOO_LARGE (413), below and above the parse-thread threshold.
 */
describe('job size limits', () => {
  let upstream: OpenAIUpstream;
  let test: TestApp;
  let key: string;
  const maxBytes = 60_000;
  const maxChars = 5_000;

  before(async () => {
    upstream = await OpenAIUpstream.start();
    test = await startTestApp({
      providers: { upstream: { type: 'openai-compatible', baseUrl: upstream.url } },
      models: { 'gpt-test': { deployments: [{ provider: 'upstream', model: 'gpt-4o-mini', retries: 0 }] } },
      jobs: { pollMs: 50, documents: { maxBytes, maxChars } },
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

  /** A job body with `fields`, padded past the parse-thread threshold when `large`. */
  const submit = (fields: Record<string, unknown>, large: boolean) => {
    const body = JSON.stringify({ kind: 'pipeline', pipeline: 'notes', ...fields });
    const payload = large ? `${body.slice(0, -1)}${' '.repeat(offThreadParseBytes)}}` : body;
    return test.server.inject({ method: 'POST', url: '/v1/jobs', headers: { ...bearer(key), 'content-type': 'application/json' }, payload });
  };
  /** Base64 of `bytes` bytes, with a line break every 76 characters as MIME writes it. */
  const mimeBase64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64').replace(/.{76}/g, '$&\r\n');

  for (const large of [false, true]) {
    const size = large ? 'large' : 'small';

    it(`refuses a string longer than the largest document in base64 in a ${size} body, naming the setting`, async () => {
      const response = await submit({ document: { name: 'big.pdf', data: 'A'.repeat(Math.ceil((maxBytes * 4) / 3) * 2) } }, large);
      assert.equal(response.statusCode, 413, response.body.slice(0, 300));
      assert.equal(response.json().error.code, 'DOCUMENT_TOO_LARGE');
      assert.match(response.json().error.message, /A string in the job is longer than a 60000-byte document in base64.*jobs\.documents\.maxBytes/);
    });

    it(`accepts a document of the largest size with MIME line breaks in a ${size} body`, async () => {
      const response = await submit({ document: { name: 'fits.txt', media_type: 'text/plain', data: mimeBase64(maxBytes) } }, large);
      assert.equal(response.statusCode, 202, response.body.slice(0, 300));
    });

    it(`refuses a text job longer than jobs.documents.maxChars in a ${size} body`, async () => {
      const response = await submit({ text: 'word '.repeat(maxChars) }, large);
      assert.equal(response.statusCode, 413, response.body.slice(0, 300));
      assert.equal(response.json().error.code, 'DOCUMENT_TOO_LARGE');
      assert.equal(response.json().error.param, 'text');
      assert.match(response.json().error.message, /jobs\.documents\.maxChars/);
      const accepted = await submit({ text: 'w'.repeat(maxChars) }, large);
      assert.equal(accepted.statusCode, 202, accepted.body.slice(0, 300));
    });
  }
});
