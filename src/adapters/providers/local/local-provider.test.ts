import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { writeTinyGguf } from '../../../../test/support/tiny-gguf.js';
import { downloadModel } from '../../../cli/models/download.js';
import { examplePipelines } from '../../../config/example-pipelines.js';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { SchemaValidator } from '../../../core/extraction/schema-validator.js';
import type { ChatCompletionChunk, ChatRequest } from '../../../wire/chat.js';
import { LocalProvider, type LocalProviderOptions } from './local-provider.js';

const call = () => ({ signal: new AbortController().signal, model: 'tiny' });
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'tiny',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: text },
  ],
  seed: 7,
  ...extra,
});

describe('LocalProvider (tiny GGUF, random weights)', () => {
  let directory: string;
  let modelPath: string;
  const providers: LocalProvider[] = [];
  const provider = (options: Partial<LocalProviderOptions> = {}) => {
    const created = new LocalProvider({ name: 'local', model: modelPath, threads: 1, contextSize: 2048, sequences: 2, maxQueue: 2, ...options });
    providers.push(created);
    return created;
  };
  let shared: LocalProvider;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'breakwater-local-'));
    modelPath = join(directory, 'tiny.gguf');
    writeTinyGguf(modelPath, { seed: 1 });
    shared = provider({ embedding: true });
  });

  after(async () => {
    await Promise.all(providers.map((each) => each.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('names the command that fixes a missing model file', async () => {
    const missing = provider({ model: join(directory, 'absent.gguf') });
    await assert.rejects(missing.chat(ask('hi'), call()), (error: unknown) => {
      assert.ok(BreakwaterError.isInstance(error));
      assert.equal(error.code, 'GATEWAY_UPSTREAM_UNAVAILABLE');
      assert.equal(error.status, 503);
      assert.match(error.message, /breakwater models pull <name>/);
      assert.match(error.message, /providers\.local\.model/);
      return true;
    });
  });

  it('loads lazily and answers a chat with text and token usage', async () => {
    assert.equal(shared.isLoaded, false);
    const completion = await shared.chat(ask('Say hello', { max_tokens: 12 }), call());
    assert.equal(shared.isLoaded, true);
    const choice = completion.choices[0]!;
    assert.equal(completion.object, 'chat.completion');
    assert.equal(choice.message.role, 'assistant');
    assert.ok(typeof choice.message.content === 'string' && choice.message.content.length > 0);
    assert.ok(completion.usage!.prompt_tokens > 5, `prompt tokens ${completion.usage!.prompt_tokens}`);
    assert.ok(completion.usage!.completion_tokens > 0 && completion.usage!.completion_tokens <= 12);
    assert.equal(completion.usage!.total_tokens, completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
  });

  it('caps the output at max_tokens with finish_reason length', async () => {
    const completion = await shared.chat(ask('Tell a long story', { max_completion_tokens: 5 }), call());
    assert.equal(completion.choices[0]!.finish_reason, 'length');
    assert.equal(completion.usage!.completion_tokens, 5);
  });

  it('streams a role chunk, content deltas, a finish_reason and usage', async () => {
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await shared.chatStream(ask('Stream please', { max_tokens: 16 }), call())) chunks.push(chunk);
    assert.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    assert.ok(content.length > 0);
    assert.ok(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length > 1, 'content arrives in several deltas');
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    assert.ok(finish && ['stop', 'length'].includes(finish.choices[0]!.finish_reason!));
    const usage = chunks[chunks.length - 1]!.usage;
    assert.ok(usage && usage.completion_tokens > 0 && usage.completion_tokens <= 16);
    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === chunks[0]!.id));
  });

  it('decodes the invoice schema under its grammar: 100 of 100 answers parse and validate', async (t) => {
    const schema = examplePipelines('local').invoice!.schema!;
    const validator = SchemaValidator.compile(schema);
    const batched = provider({ sequences: 4, maxQueue: 0 }); // one decode step serves four answers
    const request = (seed: number) =>
      ask('Extract the invoice: ACME GmbH, invoice 42, 2024-03-01, 1 widget 10.00 EUR.', {
        response_format: { type: 'json_schema', json_schema: { name: 'invoice', schema } },
        seed,
        max_tokens: 1200,
      });
    let parsed = 0;
    let valid = 0;
    let structural = 0;
    const failingKeywords = new Map<string, number>();
    const started = Date.now();
    for (let batch = 0; batch < 100; batch += 4) {
      const answers = await Promise.all([0, 1, 2, 3].map((offset) => batched.chat(request(batch + offset), call())));
      for (const answer of answers) {
        let value: unknown;
        try {
          value = JSON.parse(answer.choices[0]!.message.content!);
          parsed++;
        } catch {
          continue;
        }
        if (hasInvoiceStructure(value)) structural++;
        const result = validator.validate(value);
        if (result.ok) valid++;
        else for (const issue of result.issues) failingKeywords.set(issue.message.replace(/ ".*$/, ''), (failingKeywords.get(issue.message.replace(/ ".*$/, '')) ?? 0) + 1);
      }
    }
    t.diagnostic(
      `parsed ${parsed}/100, grammar structure ${structural}/100, ajv-valid ${valid}/100 in ${Date.now() - started} ms; failures: ${JSON.stringify([...failingKeywords])}`,
    );
    assert.equal(parsed, 100);
    assert.equal(structural, 100);
    // The grammar (schemaToGbnf) enforces the currency pattern, calendar dates and lower bounds
    // too: every answer is a valid record, with no re-ask needed.
    assert.equal(valid, 100, `failures: ${JSON.stringify([...failingKeywords])}`);
  });

  it('answers json_object with JSON and a forced tool with tool_calls', async () => {
    const json = await shared.chat(ask('JSON please', { response_format: { type: 'json_object' }, max_tokens: 600 }), call());
    // The generic JSON grammar lets a random model nest without end; a finished answer must parse.
    if (json.choices[0]!.finish_reason === 'stop') assert.doesNotThrow(() => JSON.parse(json.choices[0]!.message.content!));
    else assert.equal(json.choices[0]!.finish_reason, 'length');
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
      },
    ];
    const forced = await shared.chat(ask('Weather?', { tools, tool_choice: { type: 'function', function: { name: 'lookup' } }, max_tokens: 200 }), call());
    const choice = forced.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls![0]!.function.name, 'lookup');
    assert.equal(typeof (JSON.parse(choice.message.tool_calls![0]!.function.arguments) as { city: unknown }).city, 'string');
  });

  it('embeds with the model dimension, identically for identical input', async () => {
    const first = await shared.embed({ model: 'tiny', input: ['same text', 'other text'] }, call());
    const again = await shared.embed({ model: 'tiny', input: 'same text' }, call());
    assert.equal(first.vectors.length, 2);
    assert.equal(first.vectors[0]!.length, 64);
    assert.deepEqual(again.vectors[0], first.vectors[0]);
    assert.notDeepEqual(first.vectors[1], first.vectors[0]);
    assert.ok(first.usage.prompt_tokens > 0);
  });

  it('queues beyond its sequences and refuses beyond maxQueue with SERVER_OVERLOADED', async () => {
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((seed) => shared.chat(ask(`Request ${seed}`, { seed, max_tokens: 8 }), call())));
    assert.equal(results.filter((result) => result.status === 'fulfilled').length, 4);
    const refused = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    assert.ok(refused && BreakwaterError.isInstance(refused.reason));
    assert.equal(refused.reason.code, 'SERVER_OVERLOADED');
    assert.equal(refused.reason.status, 503);
    assert.ok(refused.reason.retryAfterSeconds! > 0);
  });

  it('stops a long generation promptly when the signal aborts', async () => {
    const timed = Date.now();
    await shared.chat(ask('Warm up', { max_tokens: 200 }), call());
    const perToken = (Date.now() - timed) / 200;
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(shared.chat(ask('Go on forever', { max_tokens: 1800 }), { signal: controller.signal, model: 'tiny' }), (error: unknown) => {
      assert.ok(BreakwaterError.isInstance(error));
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < Math.max(1000, (perToken * 1800) / 4), `aborted after ${elapsed} ms; 1800 tokens take ~${Math.round(perToken * 1800)} ms`);
  });

  it('on close, stops running work and waits for it before freeing the model, then refuses new work', async () => {
    const closing = provider({ embedding: true });
    await closing.embed({ model: 'tiny', input: 'load the model' }, call());
    const settled: string[] = [];
    const generation = closing.chat(ask('Go on for a long time', { max_tokens: 1800 }), call()).then(
      () => settled.push('generation finished'),
      (error: unknown) => settled.push(`generation stopped: ${BreakwaterError.isInstance(error) ? error.code : String(error)}`),
    );
    const embedding = closing.embed({ model: 'tiny', input: ['one', 'two', 'three'] }, call()).then(
      () => settled.push('embedding finished'),
      (error: unknown) => settled.push(`embedding stopped: ${BreakwaterError.isInstance(error) ? error.code : String(error)}`),
    );
    await closing.close();
    settled.push('closed');
    await Promise.all([generation, embedding]);
    assert.equal(settled.at(-1), 'closed', `close() resolved before the work it freed the model under: ${settled.join(' → ')}`);
    assert.match(settled.join(' '), /generation stopped: NOT_READY/, 'the 1,800-token generation was stopped, not waited out');
    assert.equal(closing.isLoaded, false);
    await assert.rejects(closing.embed({ model: 'tiny', input: 'after close' }, call()), (error: unknown) => BreakwaterError.isInstance(error) && error.code === 'NOT_READY');
  });

  it('unloads after idleUnloadMs without calls and loads again on the next call', async () => {
    const idle = provider({ idleUnloadMs: 150 });
    await idle.chat(ask('one', { max_tokens: 2 }), call());
    assert.equal(idle.isLoaded, true);
    await delay(400);
    assert.equal(idle.isLoaded, false);
    await idle.chat(ask('two', { max_tokens: 2 }), call());
    assert.equal(idle.isLoaded, true);
    assert.equal(idle.loads, 2);
  });

  it('tells callers a first-use download failed without the mirror address or its token', async () => {
    const mirror = createServer((_request, response) => response.writeHead(500).end('mirror down'));
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(mirror.address() as AddressInfo).port}`;
    const url = `http://${address}/models/tiny.gguf?access_token=hf_AbCdEfGhIjKlMnOpQrStUvWx123456`;
    try {
      const missing = provider({
        model: join(directory, 'to-download.gguf'),
        pull: 'tiny',
        fetchModel: (onProgress) =>
          downloadModel({ url, destination: join(directory, 'to-download.gguf'), onProgress: (progress) => onProgress(progress.bytes, progress.total) }).then(() => undefined),
      });
      await assert.rejects(missing.chat(ask('hi'), call()));
      await missing.downloaded();
      const error = await missing.chat(ask('hi'), call()).then(
        () => assert.fail('expected the download failure'),
        (caught: unknown) => caught,
      );
      assert.ok(BreakwaterError.isInstance(error));
      assert.match(error.message, /Downloading it on first use failed \(.*answered 500/);
      for (const leak of [address, 'hf_AbCdEf', 'access_token']) assert.ok(!error.message.includes(leak), `${leak} leaked: ${error.message}`);
    } finally {
      mirror.close();
    }
  });
});

/** The structure the grammar enforces: required keys with their JSON types, at least shaped arrays. */
function hasInvoiceStructure(value: unknown): boolean {
  const record = value as Record<string, unknown>;
  if (typeof record !== 'object' || record === null) return false;
  const strings = ['invoice_number', 'issue_date', 'currency'].every((key) => typeof record[key] === 'string');
  const vendor = record.vendor as Record<string, unknown> | undefined;
  const items = record.line_items;
  return (
    strings &&
    typeof record.total === 'number' &&
    typeof vendor?.name === 'string' &&
    Array.isArray(items) &&
    items.every((item: Record<string, unknown>) => typeof item.description === 'string' && typeof item.quantity === 'number' && typeof item.amount === 'number')
  );
}
