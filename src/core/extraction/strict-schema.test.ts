import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaValidator } from './schema-validator.js';
import { dropOptionalNulls, toStrictSchema } from './strict-schema.js';

const customer = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    tier: { enum: ['gold', 'silver'] },
    note: { type: ['string', 'null'] },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string', default: '00000' } },
      required: ['city'],
    },
    billing: { $ref: '#/$defs/account' },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    kind: { oneOf: [{ const: 'person' }, { const: 'company' }] },
  },
  required: ['name', 'kind'],
  $defs: { account: { type: 'object', properties: { iban: { type: 'string', format: 'iban' }, bic: { type: 'string' } }, required: ['iban'] } },
};

describe('toStrictSchema', () => {
  it('closes every object, requires every property and makes optional ones nullable, at every depth', () => {
    assert.deepEqual(toStrictSchema(customer), {
      type: 'object',
      properties: {
        name: { type: 'string' },
        tier: { enum: ['gold', 'silver', null] },
        note: { type: ['string', 'null'] },
        address: {
          type: ['object', 'null'],
          properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } },
          required: ['city', 'zip'],
          additionalProperties: false,
        },
        billing: { anyOf: [{ $ref: '#/$defs/account' }, { type: 'null' }] },
        tags: { type: ['array', 'null'], items: { type: 'string' } },
        kind: { anyOf: [{ const: 'person' }, { const: 'company' }] },
      },
      required: ['name', 'tier', 'note', 'address', 'billing', 'tags', 'kind'],
      additionalProperties: false,
      $defs: {
        account: {
          type: 'object',
          properties: { iban: { type: 'string' }, bic: { type: ['string', 'null'] } },
          required: ['iban', 'bic'],
          additionalProperties: false,
        },
      },
    });
  });

  it('turns a free-keyed map into a closed object (strict mode cannot express one)', () => {
    assert.deepEqual(toStrictSchema({ type: 'object', additionalProperties: { type: 'number' } }), { type: 'object', properties: {}, required: [], additionalProperties: false });
  });
});

describe('dropOptionalNulls', () => {
  it('round-trips: the nulls a strict answer uses for absent optionals validate against the original schema', () => {
    const strictAnswer = {
      name: 'Ada',
      tier: null,
      note: null,
      address: { city: 'Oslo', zip: null },
      billing: { iban: 'NO93 8601 1117 947', bic: null },
      tags: null,
      kind: 'person',
    };
    assert.equal(SchemaValidator.compile(toStrictSchema(customer)).validate(strictAnswer).ok, true, 'the answer fits the strict variant');
    assert.equal(SchemaValidator.compile(customer).validate(strictAnswer).ok, false, 'but not the original as it is');
    const record = dropOptionalNulls(customer, strictAnswer);
    assert.deepEqual(record, { name: 'Ada', note: null, address: { city: 'Oslo' }, billing: { iban: 'NO93 8601 1117 947' }, kind: 'person' });
    assert.equal(SchemaValidator.compile(customer).validate(record).ok, true);
    assert.equal(strictAnswer.tier, null, 'the input is not modified');
  });

  it('keeps nulls of required properties, so validation reports them', () => {
    const record = dropOptionalNulls(customer, { name: null, kind: 'person', address: null });
    assert.deepEqual(record, { name: null, kind: 'person' });
  });

  it('follows array items', () => {
    const schema = { type: 'array', items: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a'] } };
    assert.deepEqual(
      dropOptionalNulls(schema, [
        { a: 1, b: null },
        { a: 2, b: 3 },
      ]),
      [{ a: 1 }, { a: 2, b: 3 }],
    );
  });
});
