import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaValidator, checkSchema } from './schema-validator.js';

const lineItems = {
  type: 'object',
  properties: {
    line_items: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', properties: { amount: { type: 'number', minimum: 0 } }, required: ['amount'], additionalProperties: false },
    },
    date: { type: 'string', format: 'date' },
  },
  required: ['line_items'],
};

describe('SchemaValidator', () => {
  it('reports every problem at a JSON pointer, missing and extra properties at the property itself', () => {
    const result = SchemaValidator.compile(lineItems).validate({ line_items: [{ amount: -1 }, { extra: 1 }], date: '2024-02-30' });
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.issues, [
      { path: '/line_items/0/amount', message: 'must be >= 0' },
      { path: '/line_items/1/amount', message: 'is required' },
      { path: '/line_items/1/extra', message: 'is not allowed by the schema' },
      { path: '/date', message: 'must match format "date"' },
    ]);
    assert.deepEqual(SchemaValidator.compile(lineItems).validate({ line_items: [{ amount: 0 }], date: '2024-02-29' }), { ok: true });
  });

  it('escapes property names in paths and lists allowed enum values', () => {
    const schema = { type: 'object', properties: { 'a/b': { enum: ['EUR', 'USD'] } }, required: ['c~d'] };
    const result = SchemaValidator.compile(schema).validate({ 'a/b': 'GBP' });
    assert.deepEqual(!result.ok && result.issues, [
      { path: '/c~0d', message: 'is required' },
      { path: '/a~1b', message: 'must be one of ["EUR","USD"]' },
    ]);
  });

  it('compiles a schema once whatever its key order', () => {
    const first = SchemaValidator.compile({ type: 'object', properties: { a: { type: 'string' } } });
    const second = SchemaValidator.compile({ properties: { a: { type: 'string' } }, type: 'object' });
    assert.equal(first, second);
  });

  it('uses draft 2020-12 when $schema says so, draft-07 otherwise', () => {
    const tuple2020 = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'number' }], items: false };
    assert.equal(SchemaValidator.compile(tuple2020).validate([1, 2]).ok, false, '2020-12 items:false forbids extra items');
    const tuple07 = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'number' }], additionalItems: false };
    assert.equal(SchemaValidator.compile(tuple07).validate([1, 2]).ok, false);
    assert.equal(SchemaValidator.compile(tuple07).validate([1]).ok, true);
  });

  it('lets two different schemas share an $id', () => {
    const first = SchemaValidator.compile({ $id: 'https://example.com/invoice', type: 'object', required: ['a'] });
    const second = SchemaValidator.compile({ $id: 'https://example.com/invoice', type: 'object', required: ['b'] });
    assert.equal(first.validate({ a: 1 }).ok, true);
    assert.equal(second.validate({ a: 1 }).ok, false);
  });
});

describe('checkSchema', () => {
  it('accepts a valid schema', () => {
    assert.doesNotThrow(() => checkSchema(lineItems));
  });

  it('names the problem of an invalid schema', () => {
    assert.throws(() => checkSchema({ type: 'object', properties: { total: { type: 'numbr' } } }), /Invalid JSON Schema: .*schema\/properties\/total\/type/);
    assert.throws(() => checkSchema({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }), /Invalid JSON Schema: .*missing/);
    assert.throws(() => checkSchema('object'), /expected an object/);
    assert.throws(() => checkSchema({ type: 'string', format: 'iban' }), /unknown format "iban".*use "pattern"/);
    assert.throws(() => checkSchema({ $schema: 'http://json-schema.org/draft-04/schema#' }), /Unsupported JSON Schema dialect .*draft-04/);
  });
});
