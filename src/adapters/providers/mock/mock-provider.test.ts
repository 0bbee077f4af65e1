import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { MockProvider } from './mock-provider.js';
import { examplePipelines } from '../../../config/example-pipelines.js';
import { SchemaValidator } from '../../../core/extraction/schema-validator.js';
import { toStrictSchema } from '../../../core/extraction/strict-schema.js';
import type { ChatRequest } from '../../../wire/chat.js';

const provider = new MockProvider({ name: 'mock', latencyMs: 0, embeddingDimensions: 8 });
const call = { model: 'mock-chat', signal: new AbortController().signal } as Parameters<MockProvider['chat']>[1];
const pipelines = examplePipelines('mock');
const samplesDirectory = new URL('../../../../samples/', import.meta.url);

function samples(folder: string, extensions: string[]): Array<{ name: string; text: string }> {
  return readdirSync(new URL(`${folder}/`, samplesDirectory))
    .filter((name) => extensions.some((extension) => name.endsWith(extension)))
    .sort()
    .map((name) => ({ name, text: readFileSync(new URL(`${folder}/${name}`, samplesDirectory), 'utf8') }));
}

function userMessage(pipeline: string, name: string, text: string): string {
  return pipelines[pipeline]!.prompt.template.replace('{{filename}}', name).replace('{{document}}', text);
}

async function answer(request: Omit<ChatRequest, 'model'>): Promise<unknown> {
  const completion = await provider.chat({ model: 'mock-chat', ...request } as ChatRequest, call);
  return JSON.parse(completion.choices[0]!.message.content!);
}

function nativeRequest(pipeline: string, schema: Record<string, unknown>, name: string, text: string): Omit<ChatRequest, 'model'> {
  return {
    messages: [
      { role: 'system', content: pipelines[pipeline]!.prompt.system! },
      { role: 'user', content: userMessage(pipeline, name, text) },
    ],
    response_format: { type: 'json_schema', json_schema: { name: pipeline.replace(/-/g, '_'), schema, strict: true } },
  };
}

const cases = [
  { pipeline: 'invoice', documents: samples('invoices', ['.txt', '.md', '.html']) },
  { pipeline: 'delivery-manifest', documents: samples('manifests', ['.txt', '.html']) },
];

describe('the mock provider answers the example pipelines with valid records', () => {
  for (const { pipeline, documents } of cases) {
    const schema = pipelines[pipeline]!.schema!;
    it(`has sample documents for ${pipeline}`, () => assert.ok(documents.length >= 2));
    for (const { name, text } of documents) {
      it(`${pipeline} / ${name}: json_schema with the pipeline schema`, async () => {
        assert.deepEqual(SchemaValidator.compile(schema).validate(await answer(nativeRequest(pipeline, schema, name, text))), { ok: true });
      });
      it(`${pipeline} / ${name}: json_schema with the strict (all-required, nullable) schema`, async () => {
        const strict = toStrictSchema(schema);
        const value = await answer(nativeRequest(pipeline, strict, name, text));
        assert.deepEqual(SchemaValidator.compile(strict).validate(value), { ok: true });
      });
      it(`${pipeline} / ${name}: json_object with the schema in a system message (prompt strategy)`, async () => {
        const value = await answer({
          messages: [
            { role: 'system', content: pipelines[pipeline]!.prompt.system! },
            {
              role: 'system',
              content: `Answer with one JSON object, a "${pipeline}" record that conforms to this JSON Schema. Output only the JSON object.\n\nJSON Schema:\n${JSON.stringify(schema)}`,
            },
            { role: 'user', content: userMessage(pipeline, name, text) },
          ],
          response_format: { type: 'json_object' },
        });
        assert.deepEqual(SchemaValidator.compile(schema).validate(value), { ok: true });
      });
      it(`${pipeline} / ${name}: with the raw document as the only message`, async () => {
        const value = await answer({ messages: [{ role: 'user', content: text }], response_format: { type: 'json_schema', json_schema: { name: 'record', schema } } });
        assert.deepEqual(SchemaValidator.compile(schema).validate(value), { ok: true });
      });
    }
  }

  it('reads the currency, invoice number, date, total and line items of acme-2026-0142.txt', async () => {
    const schema = pipelines.invoice!.schema!;
    const text = readFileSync(new URL('invoices/acme-2026-0142.txt', samplesDirectory), 'utf8');
    const value = (await answer(nativeRequest('invoice', schema, 'acme-2026-0142.txt', text))) as Record<string, unknown>;
    assert.equal(value.currency, 'GBP');
    assert.equal(value.invoice_number, 'ACME-2026-0142');
    assert.equal(value.total, 699.84);
    assert.equal(value.issue_date, '2026-02-14');
    assert.equal((value.line_items as unknown[]).length, 4);
    assert.deepEqual((value.line_items as unknown[])[0], { description: 'Hex bolts M10 x 50, zinc plated (box of 100)', quantity: 12, unit_price: 18.4, amount: 220.8 });
  });

  it('reads 1.234,56 amounts and dd.mm.yyyy dates of the German invoice', async () => {
    const schema = pipelines.invoice!.schema!;
    const text = readFileSync(new URL('invoices/nordlicht-rechnung-8841.md', samplesDirectory), 'utf8');
    const value = (await answer(nativeRequest('invoice', schema, 'nordlicht.md', text))) as Record<string, unknown>;
    assert.equal(value.total, 5675.11);
    assert.equal(value.currency, 'EUR');
    assert.equal(value.issue_date, '2026-03-03');
    assert.equal(value.invoice_number, '8841');
  });

  it('gives the same answer to the same request', async () => {
    const schema = pipelines.invoice!.schema!;
    const request = nativeRequest('invoice', schema, 'a.txt', 'Invoice No.: X-1\nTotal: € 12,50');
    const first = await provider.chat({ model: 'mock-chat', ...request } as ChatRequest, call);
    const second = await provider.chat({ model: 'mock-chat', ...request } as ChatRequest, call);
    assert.equal(first.choices[0]!.message.content, second.choices[0]!.message.content);
    assert.equal(first.id, second.id);
  });

  it('falls back to valid made-up values when the document has none that fit', async () => {
    const schema = pipelines.invoice!.schema!;
    const value = (await answer(nativeRequest('invoice', schema, 'empty.txt', 'Currency: euros\nTotal: minus five'))) as Record<string, unknown>;
    assert.deepEqual(SchemaValidator.compile(schema).validate(value), { ok: true });
    assert.match(value.currency as string, /^[A-Z]{3}$/);
  });

  it('keeps the plain answers when there is no schema', async () => {
    const plain = await provider.chat({ model: 'mock-chat', messages: [{ role: 'user', content: 'ping' }] } as ChatRequest, call);
    assert.equal(plain.choices[0]!.message.content, 'Mock reply to: ping');
    assert.deepEqual(await answer({ messages: [{ role: 'user', content: 'ping' }], response_format: { type: 'json_object' } }), { reply: 'mock' });
  });

  it('keeps the schema-shaped answers SDK users see for simple schemas', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } },
      required: ['name', 'age', 'tags'],
      additionalProperties: false,
    };
    assert.deepEqual(
      await answer({ messages: [{ role: 'user', content: 'describe a person' }], response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } }),
      { name: 'mock', age: 1.5, tags: ['a'] },
    );
  });
});

describe('mock embeddings of long inputs', () => {
  it('reads the first 64 K characters of an input, as a model reads no more than its context', async () => {
    const call = { model: 'mock-embed', signal: new AbortController().signal };
    const head = Array.from({ length: 8_192 }, (_, index) => `w${index % 97}`).join(' ');
    const long = `${head.padEnd(65_536, ' ')}${' unseen tail words'.repeat(200_000)}`;
    const [whole, first] = await Promise.all([
      provider.embed({ model: 'mock-embed', input: long }, call),
      provider.embed({ model: 'mock-embed', input: long.slice(0, 65_536) }, call),
    ]);
    assert.deepEqual(whole.vectors[0], first.vectors[0]);
    assert.ok(whole.usage.prompt_tokens > first.usage.prompt_tokens, 'the usage still counts the whole input');
  });
});
