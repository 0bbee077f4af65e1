import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getLlama, LlamaCompletion, LlamaGrammar, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import { writeTinyGguf } from '../../../../test/support/tiny-gguf.js';
import { examplePipelines } from '../../../config/example-pipelines.js';
import { SchemaValidator } from '../../../core/extraction/schema-validator.js';
import { schemaToGbnf } from './schema-to-gbnf.js';

const pipelines = examplePipelines('x');
const invoiceSchema = pipelines.invoice!.schema!;
const manifestSchema = pipelines['delivery-manifest']!.schema!;

/** The rule `name ::= …` of `grammar`, or undefined. */
function ruleOf(grammar: string, name: string): string | undefined {
  return grammar
    .split('\n')
    .find((line) => line.startsWith(`${name} ::= `))
    ?.slice(name.length + 5);
}

const kitchenSink: Record<string, unknown> = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['code', 'kind', 'when', 'at', 'tags', 'point', 'choice', 'maybe', 'count'],
  properties: {
    code: { type: 'string', pattern: '^(INV|PO)-\\d{2,4}[a-z_-]?$' },
    kind: { enum: ['a', 'b"c', 1, null, true] },
    fixed: { const: { x: [1, 'y'] } },
    when: { type: 'string', format: 'date-time' },
    at: { type: 'string', format: 'time' },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 }, minItems: 2, maxItems: 3 },
    point: { $ref: '#/$defs/point' },
    choice: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'boolean' }] },
    maybe: { type: ['string', 'null'], minLength: 1, maxLength: 4 },
    count: { type: 'number', exclusiveMinimum: 0 },
    word: { type: 'string', pattern: '^\\w+\\s?[^"\\\\]{0,3}$' },
    free: { type: 'string', pattern: 'ab?' },
  },
  $defs: {
    point: { type: 'object', additionalProperties: false, required: ['x'], properties: { x: { type: 'integer' }, label: { type: 'string', maxLength: 5 } } },
  },
};

describe('schemaToGbnf', () => {
  it('writes objects with properties in declared order, optional ones optional, closed and comma-correct', () => {
    const grammar = schemaToGbnf(invoiceSchema);
    assert.ok(
      grammar.startsWith('root ::= "{" ws root-invoice-number-kv ws "," ws root-issue-date-kv ws "," ws root-vendor-kv ( ws "," ws root-buyer-kv )? ws "," ws root-currency-kv'),
    );
    assert.equal(ruleOf(grammar, 'root-vendor'), '"{" ws root-vendor-name-kv ( ws "," ws root-vendor-address-kv )? ( ws "," ws root-vendor-tax-id-kv )? ws "}"');
    assert.equal(ruleOf(grammar, 'root-invoice-number-kv'), '"\\"invoice_number\\"" ws ":" ws root-invoice-number');
    assert.equal(ruleOf(grammar, 'ws'), '[ \\n]?');
  });

  it('lets any optional property come first when none is required, and allows the empty object', () => {
    const grammar = schemaToGbnf({ type: 'object', additionalProperties: false, properties: { a: { type: 'integer' }, b: { type: 'boolean' } } });
    assert.equal(ruleOf(grammar, 'root'), '"{" ws ( ( root-a-kv ( ws "," ws root-b-kv )? | root-b-kv ) ws )? "}"');
    assert.equal(schemaToGbnf({ type: 'object' }).split('\n')[0], 'root ::= "{" ws "}"');
  });

  it('bounds arrays with minItems/maxItems', () => {
    const items = { type: 'boolean' };
    assert.equal(ruleOf(schemaToGbnf(invoiceSchema), 'root-line-items'), '"[" ws root-line-items-item ( ws "," ws root-line-items-item )* ws "]"');
    assert.equal(ruleOf(schemaToGbnf({ type: 'array', items, minItems: 2, maxItems: 4 }), 'root'), '"[" ws boolean ( ws "," ws boolean ){1,3} ws "]"');
    assert.equal(ruleOf(schemaToGbnf({ type: 'array', items, maxItems: 1 }), 'root'), '"[" ws ( boolean ws )? "]"');
    assert.equal(ruleOf(schemaToGbnf({ type: 'array', items, maxItems: 0 }), 'root'), '"[" ws "]"');
    assert.equal(ruleOf(schemaToGbnf({ type: 'array', items, minItems: 3 }), 'root'), '"[" ws boolean ( ws "," ws boolean ){2,} ws "]"');
  });

  it('bounds strings with minLength/maxLength over JSON string characters without raw control characters', () => {
    const grammar = schemaToGbnf({ type: 'string', minLength: 2, maxLength: 5 });
    assert.equal(ruleOf(grammar, 'root'), '"\\"" char{2,5} "\\""');
    assert.match(ruleOf(grammar, 'char')!, /^\[\^"\\\\\\x00-\\x1F\]/);
    assert.equal(ruleOf(schemaToGbnf(invoiceSchema), 'root-invoice-number'), '"\\"" char+ "\\""');
    assert.equal(ruleOf(schemaToGbnf({ type: 'string' }), 'string'), '"\\"" char* "\\""');
  });

  it('writes calendar-correct dates, date-times and times', () => {
    const grammar = schemaToGbnf({
      type: 'object',
      properties: { d: { type: 'string', format: 'date' }, t: { type: 'string', format: 'date-time' }, h: { type: 'string', format: 'time' } },
    });
    assert.equal(ruleOf(grammar, 'root-d'), '"\\"" date "\\""');
    assert.match(ruleOf(grammar, 'date')!, /\( "0" \[469\] \| "11" \) "-" .* "30" \)/);
    assert.match(ruleOf(grammar, 'date')!, /leap-year "-02-29"$/);
    assert.equal(ruleOf(grammar, 'date-time'), 'date "T" time');
    assert.match(ruleOf(grammar, 'time')!, /"Z" \| \[\+-\]/);
  });

  it('translates the regex subset of pattern', () => {
    assert.equal(ruleOf(schemaToGbnf(invoiceSchema), 'root-currency'), '"\\"" ( [A-Z]{3} ) "\\""');
    assert.equal(ruleOf(schemaToGbnf({ type: 'string', pattern: '^[a-z0-9_-]+\\d{2}\\.x{1,}$' }), 'root'), '"\\"" ( [\\x2d0-9\\x5fa-z]+ [0-9]{2} "." "x"{1,} ) "\\""');
    assert.equal(ruleOf(schemaToGbnf({ type: 'string', pattern: '^(?:ab|c)?\\w$' }), 'root'), '"\\"" ( ( "a" "b" | "c" )? [0-9A-Z\\x5fa-z] ) "\\""');
    assert.equal(ruleOf(schemaToGbnf({ type: 'string', pattern: '^a$|b' }), 'root'), '"\\"" ( "a" | char* "b" char* ) "\\""');
    assert.equal(
      ruleOf(schemaToGbnf({ type: 'string', pattern: '^["]\\s$' }), 'root'),
      '"\\"" ( "\\\\\\"" ( [\\x20\\xa0\\u1680\\u2000-\\u200a\\u2028-\\u2029\\u202f\\u205f\\u3000\\ufeff] | "\\\\t" | "\\\\n" | "\\\\u000b" | "\\\\f" | "\\\\r" ) ) "\\""',
    );
  });

  it('gives numbers no minus under minimum 0, strictly positive ones under exclusiveMinimum 0, and [1-9][0-9]* to integers from 1', () => {
    const invoice = schemaToGbnf(invoiceSchema);
    assert.equal(ruleOf(invoice, 'root-total-kv'), '"\\"total\\"" ws ":" ws number-nonnegative');
    assert.equal(ruleOf(invoice, 'root-line-items-item-quantity-kv'), '"\\"quantity\\"" ws ":" ws number-positive');
    assert.equal(ruleOf(invoice, 'root-line-items-item-amount-kv'), '"\\"amount\\"" ws ":" ws number');
    assert.equal(ruleOf(invoice, 'number'), '"-"? integral fraction?');
    assert.equal(ruleOf(invoice, 'number-positive'), '[1-9] [0-9]{0,15} fraction? | "0." [0-9]{0,15} [1-9]');
    const manifest = schemaToGbnf(manifestSchema);
    assert.equal(ruleOf(manifest, 'root-items-item-quantity-kv'), '"\\"quantity\\"" ws ":" ws integer-positive');
    assert.equal(ruleOf(manifest, 'integer-positive'), '[1-9] [0-9]{0,15}');
    assert.equal(ruleOf(schemaToGbnf({ type: 'integer', minimum: 0, maximum: 9 }), 'root'), 'integer-nonnegative');
    assert.equal(ruleOf(schemaToGbnf({ type: 'integer', maximum: 9 }), 'integer'), '"-"? integral');
  });

  it('writes booleans, null, type unions, enum and const of any JSON value', () => {
    assert.equal(ruleOf(schemaToGbnf({ type: ['string', 'null'] }), 'root'), 'string | null');
    assert.equal(ruleOf(schemaToGbnf({ type: 'boolean' }), 'boolean'), '"true" | "false"');
    assert.equal(ruleOf(schemaToGbnf({ enum: ['a', 1, null, { x: [true] }] }), 'root'), '"\\"a\\"" | "1" | "null" | "{\\"x\\":[true]}"');
    assert.equal(ruleOf(schemaToGbnf({ const: 'say "hi"\n' }), 'root'), '"\\"say \\\\\\"hi\\\\\\"\\\\n\\""');
  });

  it('follows local $ref to $defs and definitions, recursively, and alternates anyOf/oneOf', () => {
    const tree = schemaToGbnf({
      type: 'object',
      additionalProperties: false,
      properties: { node: { $ref: '#/definitions/node' } },
      definitions: { node: { type: 'object', additionalProperties: false, properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } } },
    });
    assert.equal(ruleOf(tree, 'root-node-kv'), '"\\"node\\"" ws ":" ws ref-node');
    assert.equal(ruleOf(tree, 'ref-node-children'), '"[" ws ( ref-node ( ws "," ws ref-node )* ws )? "]"');
    const sink = schemaToGbnf(kitchenSink);
    assert.equal(ruleOf(sink, 'root-point-kv'), '"\\"point\\"" ws ":" ws ref-point');
    assert.equal(ruleOf(sink, 'root-choice'), 'integer-nonnegative | boolean');
    assert.equal(ruleOf(schemaToGbnf({ oneOf: [{ type: 'string' }, { type: 'null' }] }), 'root'), 'string | null');
  });

  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['allOf', { allOf: [{ type: 'string' }] }, /"allOf" is not supported/],
    ['additionalProperties: true', { type: 'object', additionalProperties: true }, /"additionalProperties" other than false/],
    ['additionalProperties as a schema', { type: 'object', additionalProperties: { type: 'string' } }, /"additionalProperties" other than false/],
    ['uniqueItems', { type: 'array', uniqueItems: true }, /"uniqueItems" is not supported/],
    ['tuple items', { type: 'array', items: [{ type: 'string' }] }, /tuple/],
    ['an unknown format', { type: 'string', format: 'email' }, /format "email" is not supported/],
    ['a remote $ref', { $ref: 'https://example.com/schema.json' }, /"\$ref" "https:\/\/example.com\/schema.json"/],
    ['a lookahead', { type: 'string', pattern: '^(?=a)a$' }, /lookahead/],
    ['a backreference', { type: 'string', pattern: '^(a)\\1$' }, /backreference/],
    ['a word boundary', { type: 'string', pattern: '\\bword' }, /word boundary \\b/],
    ['a Unicode property escape', { type: 'string', pattern: '^\\p{L}$' }, /Unicode property escape \\p/],
    ['a mid-pattern anchor', { type: 'string', pattern: 'a^b' }, /anchor \^/],
    ['pattern with maxLength', { type: 'string', pattern: '^a+$', maxLength: 3 }, /"pattern" combined with/],
    ['a required property without a schema', { type: 'object', required: ['a'] }, /required property "a"/],
  ];
  for (const [construct, schema, message] of refusals) {
    it(`refuses ${construct} with an Error naming it`, () => {
      assert.throws(() => schemaToGbnf(schema), message);
    });
  }
});

describe('schemaToGbnf decoding with node-llama-cpp', { timeout: 600_000 }, () => {
  const directory = mkdtempSync(join(tmpdir(), 'breakwater-gbnf-'));
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;
  let completion: LlamaCompletion;

  before(async () => {
    const modelPath = join(directory, 'tiny.gguf');
    writeTinyGguf(modelPath, { layers: 2, embeddingLength: 64, heads: 2, contextLength: 2048, seed: 7 });
    llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath });
    // One thread: with two, llama.cpp's threads spin against whatever else shares the 2 cores
    // (23 tokens/s measured under load, against ~1,500 with one).
    context = await model.createContext({ contextSize: 2048, threads: 1 });
    completion = new LlamaCompletion({ contextSequence: context.getSequence() });
  });

  after(async () => {
    await context?.dispose();
    await model?.dispose();
    await llama?.dispose();
    rmSync(directory, { recursive: true, force: true });
  });

  const cases: Array<[string, Record<string, unknown>]> = [
    ['invoice', invoiceSchema],
    ['delivery-manifest', manifestSchema],
    ['kitchen-sink', kitchenSink],
  ];
  for (const [name, schema] of cases) {
    it(`every one of 30 ${name} outputs at temperature 1 parses and validates`, async (t) => {
      const grammar = new LlamaGrammar(llama, { grammar: schemaToGbnf(schema) });
      const validator = SchemaValidator.compile(schema);
      let tokens = 0;
      let valid = 0;
      const started = performance.now();
      for (let seed = 1; seed <= 30; seed++) {
        const result = await completion.generateCompletionWithMeta('JSON:', {
          grammar,
          temperature: 1,
          seed,
          maxTokens: 1800,
          onToken: (chunk) => void (tokens += chunk.length),
        });
        assert.equal(result.metadata.stopReason, 'eogToken', `seed ${seed} did not finish: ${result.response.slice(0, 200)}`);
        const validation = validator.validate(JSON.parse(result.response));
        assert.deepEqual(validation, { ok: true }, `seed ${seed}: ${result.response}`);
        valid++;
      }
      const seconds = (performance.now() - started) / 1000;
      t.diagnostic(`${name}: ${valid}/30 valid, ${tokens} tokens, ${(tokens / seconds).toFixed(0)} tokens/s`);
      assert.equal(valid, 30);
    });
  }
});
