import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatCompletion, ChatMessage, ChatRequest, FinishReason } from '../../wire/chat.js';
import { BreakwaterError } from '../errors/breakwater-error.js';
import { extract, type Complete, type ExtractionInput } from './extract.js';
import { extractionFailedError } from './extraction-failed-error.js';
import { SchemaValidator } from './schema-validator.js';
import { toStrictSchema } from './strict-schema.js';

const invoiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    number: { type: 'string' },
    date: { type: 'string', format: 'date' },
    vendor: { type: 'string' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' },
    total: { type: 'number', minimum: 0 },
    notes: { type: 'string' },
    line_items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { description: { type: 'string' }, quantity: { type: 'number' }, unit_price: { type: 'number' }, amount: { type: 'number' }, sku: { type: 'string' } },
        required: ['description', 'quantity', 'unit_price', 'amount'],
      },
    },
  },
  required: ['number', 'date', 'vendor', 'currency', 'total', 'line_items'],
};

const invoice = {
  number: 'INV-2024-0042',
  date: '2024-03-15',
  vendor: 'Acme Trading Co',
  currency: 'EUR',
  total: 1234.5,
  line_items: [{ description: 'Widgets', quantity: 10, unit_price: 123.45, amount: 1234.5 }],
};

const messages: ChatMessage[] = [
  { role: 'system', content: 'You extract invoices.' },
  { role: 'user', content: 'Invoice INV-2024-0042 from Acme Trading Co, 15 March 2024, 10 widgets at 123.45 EUR.' },
];

const input = (overrides: Partial<ExtractionInput> = {}): ExtractionInput => ({
  schemaName: 'invoice',
  schema: invoiceSchema,
  messages,
  strategy: 'auto',
  nativeJsonSchema: true,
  maxAttempts: 3,
  ...overrides,
});

type Answer = string | Error | { content: string | null; toolArguments?: string; finishReason?: FinishReason };

/** A scripted model: one answer per call, in order; records every request it receives. */
function scripted(...answers: Answer[]): Complete & { requests: Array<Omit<ChatRequest, 'model'>> } {
  const requests: Array<Omit<ChatRequest, 'model'>> = [];
  const complete = async (request: Omit<ChatRequest, 'model'>, attempt: number): Promise<ChatCompletion> => {
    requests.push(request);
    assert.equal(attempt, requests.length, 'attempts are numbered from 1');
    const answer = answers[requests.length - 1];
    if (answer === undefined) throw new Error(`the script has no answer for call ${requests.length}`);
    if (answer instanceof Error) throw answer;
    const { content, toolArguments, finishReason } = typeof answer === 'string' ? { content: answer, toolArguments: undefined, finishReason: undefined } : answer;
    const toolCalls = toolArguments === undefined ? undefined : [{ id: 'call_1', type: 'function' as const, function: { name: 'invoice', arguments: toolArguments } }];
    return {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 0,
      model: 'scripted',
      choices: [{ index: 0, message: { role: 'assistant', content, ...(toolCalls ? { tool_calls: toolCalls } : {}) }, finish_reason: finishReason ?? 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140 },
    };
  };
  return Object.assign(complete, { requests });
}

const json = (value: unknown) => JSON.stringify(value);

describe('extract', () => {
  it('returns a record that is valid the first time, asking natively with the strict schema', async () => {
    const complete = scripted(json(invoice));
    const steps: string[] = [];
    const result = await extract(input({ maxOutputTokens: 800, temperature: 0 }), complete, (label, attempt) => steps.push(`${attempt} ${label}`));
    assert.deepEqual(result, {
      ok: true,
      record: invoice,
      attempts: [{ attempt: 1, raw: json(invoice), outcome: 'valid', issues: [] }],
      usage: { inputTokens: 100, outputTokens: 40 },
    });
    assert.deepEqual(steps, ['1 extracting fields', '1 validating']);
    assert.deepEqual(complete.requests[0], {
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'invoice', schema: toStrictSchema(invoiceSchema), strict: true } },
      max_tokens: 800,
      temperature: 0,
    });
  });

  it('repairs fenced JSON with a trailing comma without a second call', async () => {
    const fenced = `Here is the JSON:\n\`\`\`json\n${json(invoice).replace(/}$/, ',}')}\n\`\`\``;
    const result = await extract(input(), scripted(fenced));
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.record, invoice);
    assert.deepEqual(result.attempts, [{ attempt: 1, raw: fenced, outcome: 'repaired-valid', issues: [] }]);
  });

  it('re-asks with the previous answer and its validation errors, and accepts the corrected record', async () => {
    const wrong = json({ ...invoice, total: '1,234.50', vendor: undefined });
    const complete = scripted(wrong, json(invoice));
    const steps: string[] = [];
    const result = await extract(input(), complete, (label, attempt) => steps.push(`${attempt} ${label}`));
    assert.equal(result.ok, true);
    assert.deepEqual(result.ok && result.record, invoice);
    assert.deepEqual(
      result.attempts.map((attempt) => [attempt.outcome, attempt.issues]),
      [
        [
          'invalid',
          [
            { path: '/vendor', message: 'is required' },
            { path: '/total', message: 'must be number' },
          ],
        ],
        ['valid', []],
      ],
    );
    assert.deepEqual(steps, ['1 extracting fields', '1 validating', '2 re-asking with 2 validation errors', '2 extracting fields', '2 validating']);
    assert.deepEqual(result.usage, { inputTokens: 200, outputTokens: 80 });

    const second = complete.requests[1]?.messages ?? [];
    assert.deepEqual(second.slice(0, 2), messages);
    assert.deepEqual(second[2], { role: 'assistant', content: wrong });
    const reask = second[3];
    assert.equal(reask?.role, 'user');
    assert.match(String(reask?.content), /- \/vendor: is required\n- \/total: must be number\nAnswer again with only the corrected JSON object\.$/);
    assert.equal(complete.requests[0]?.messages.length, 2, 'each call gets its own copy of the conversation');
  });

  it('gives up after exactly maxAttempts calls with the raw output and the issues, never returning the invalid record', async () => {
    const wrong = json({ ...invoice, currency: 'euro' });
    const complete = scripted(wrong, wrong, wrong, json(invoice));
    const result = await extract(input(), complete);
    assert.equal(complete.requests.length, 3);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.raw, wrong);
    assert.deepEqual(result.issues, [{ path: '/currency', message: 'must match pattern "^[A-Z]{3}$"' }]);
    assert.deepEqual(
      result.attempts.map((attempt) => attempt.outcome),
      ['invalid', 'invalid', 'invalid'],
    );
    assert.equal('record' in result, false);

    const error = extractionFailedError('invoice', result);
    assert.equal(error.code, 'EXTRACTION_FAILED');
    assert.equal(error.status, 422);
    assert.match(error.message, /after 3 attempts\. First problem: \/currency must match pattern/);
    assert.deepEqual(error.details, { attempts: 3, raw_output: wrong, validation_errors: result.issues, outcomes: ['invalid', 'invalid', 'invalid'] });
  });

  it('catches minimum and format violations', async () => {
    const result = await extract(input({ maxAttempts: 1 }), scripted(json({ ...invoice, total: -5, date: '15/03/2024' })));
    assert.deepEqual(!result.ok && result.issues, [
      { path: '/date', message: 'must match format "date"' },
      { path: '/total', message: 'must be >= 0' },
    ]);
  });

  it('accepts the nulls a strict-mode answer uses for absent optional properties and drops them', async () => {
    const strictAnswer = { ...invoice, notes: null, line_items: [{ ...invoice.line_items[0], sku: null }] };
    assert.equal(SchemaValidator.compile(toStrictSchema(invoiceSchema)).validate(strictAnswer).ok, true);
    const result = await extract(input({ strategy: 'native', nativeJsonSchema: false }), scripted(json(strictAnswer)));
    assert.deepEqual(result.ok && result.record, invoice);
    assert.equal(result.attempts[0]?.outcome, 'valid');
  });

  it('prompt strategy asks for json_object and puts the schema in a system message before the user turn', async () => {
    for (const strategy of ['prompt', 'auto'] as const) {
      const complete = scripted(json(invoice));
      const result = await extract(input({ strategy, nativeJsonSchema: false }), complete);
      assert.equal(result.ok, true);
      const request = complete.requests[0];
      assert.deepEqual(request?.response_format, { type: 'json_object' });
      assert.deepEqual(
        request?.messages.map((message) => message.role),
        ['system', 'system', 'user'],
      );
      const instruction = String(request?.messages[1]?.content);
      assert.match(instruction, /"invoice" record/);
      assert.ok(instruction.includes(JSON.stringify(invoiceSchema)), 'the schema text is in the instruction');
    }
  });

  it('reads the answer from a tool call when the message has no content', async () => {
    const result = await extract(input(), scripted({ content: null, toolArguments: json(invoice) }));
    assert.deepEqual(result.ok && result.record, invoice);
  });

  it('never accepts an answer cut off at the token limit, even when it would repair into a valid record', async () => {
    const cut = json(invoice).replace(/}$/, '');
    const complete = scripted({ content: cut, finishReason: 'length' }, json(invoice));
    const result = await extract(input(), complete);
    assert.equal(result.ok, true);
    assert.equal(result.attempts[0]?.outcome, 'unparseable');
    assert.match(result.attempts[0]?.issues[0]?.message ?? '', /cut off at the output token limit/);
  });

  it('re-asks after an unparseable answer and lists at most 20 issues', async () => {
    const manyWrong = json({ ...invoice, line_items: Array.from({ length: 30 }, () => ({ description: 1 })) });
    const complete = scripted('I could not find an invoice.', manyWrong, json(invoice));
    const steps: string[] = [];
    const result = await extract(input(), complete, (label, attempt) => steps.push(`${attempt} ${label}`));
    assert.equal(result.ok, true);
    assert.ok(steps.includes('2 re-asking with 1 validation error'));
    assert.match(
      String(complete.requests[1]?.messages[3]?.content),
      /^Your previous answer could not be read as a JSON object:\n- \(root\): the answer holds no JSON object or array\n/,
    );
    const third = String(complete.requests[2]?.messages.at(-1)?.content);
    assert.equal(third.split('\n').filter((line) => line.startsWith('- /')).length, 20);
    assert.match(third, /- … and 100 more\n/);
  });

  it('lets an error thrown by the gateway propagate unchanged', async () => {
    const budget = new BreakwaterError('BUDGET_EXCEEDED', 'The key has spent its budget.');
    const complete = scripted(json({ ...invoice, total: -1 }), budget);
    await assert.rejects(extract(input(), complete), (error) => error === budget);
    assert.equal(complete.requests.length, 2);
  });
});
