import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentText } from './document-text.js';
import { sampleFromSchema } from './sample-from-schema.js';
import { SchemaValidator } from '../../../core/extraction/schema-validator.js';

type Schema = Record<string, unknown>;

function assertValid(schema: Schema, value: unknown): void {
  assert.deepEqual(SchemaValidator.compile(schema).validate(value), { ok: true }, `${JSON.stringify(value)} for ${JSON.stringify(schema)}`);
}

/** A small seeded generator, so the "random" schemas are the same on every run. */
function generator(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

const patterns = ['^[A-Z]{3}$', '^INV-\\d{4,6}$', '^[a-z][a-z0-9_]*$', '^\\d{2}\\.\\d{2}\\.\\d{4}$', '^(GB|DE)\\d{9}$', '^[A-F0-9]{8}$', '^\\w+@\\w+\\.com$', '^[^\\s]{3,}$'];
const formats = ['date', 'date-time', 'email', 'uri', 'uuid'];

function generatedSchema(random: (below: number) => number, depth = 0): Schema {
  switch (random(depth > 1 ? 6 : 8)) {
    case 0:
      return { type: 'string', pattern: patterns[random(patterns.length)], ...(random(2) ? { minLength: 3 } : {}) };
    case 1:
      return { type: 'string', format: formats[random(formats.length)] };
    case 2:
      return { enum: ['red', 'green', 7, null].slice(random(3)) };
    case 3: {
      const low = random(50) - 10;
      return { type: 'integer', [random(2) ? 'minimum' : 'exclusiveMinimum']: low, maximum: low + 20 + random(30), ...(random(2) ? { multipleOf: 1 + random(5) } : {}) };
    }
    case 4:
      return { type: random(2) ? ['number', 'null'] : 'number', exclusiveMinimum: random(100) / 10, exclusiveMaximum: 20 + random(5) };
    case 5:
      return { type: 'string', minLength: random(10), maxLength: 10 + random(5), ...(random(2) ? { const: 'fixed-value' } : {}) };
    case 6:
      return { type: 'array', items: generatedSchema(random, depth + 1), minItems: random(3), maxItems: 3 };
    default: {
      const properties: Record<string, Schema> = {};
      const count = 1 + random(4);
      for (let index = 0; index < count; index++) properties[`field_${index}`] = generatedSchema(random, depth + 1);
      return { type: 'object', additionalProperties: false, required: Object.keys(properties).filter(() => random(2) === 1), properties };
    }
  }
}

describe('sampleFromSchema', () => {
  const random = generator(20260214);
  for (let index = 0; index < 30; index++) {
    const schema = { type: 'object', additionalProperties: false, required: ['value'], properties: { value: generatedSchema(random), extra: generatedSchema(random) } };
    it(`answers generated schema ${index + 1} validly, with and without a document`, () => {
      assertValid(schema, sampleFromSchema(schema));
      assertValid(schema, sampleFromSchema(schema, new DocumentText('Value: 42\nExtra: ZZZ\nDate: 31 December 2026\nCurrency: €')));
    });
  }

  it('honours type unions and nullable types', () => {
    const schema = { type: 'object', properties: { a: { type: ['null', 'integer'], minimum: 3 }, b: { type: ['string', 'null'], minLength: 2 } }, required: ['a', 'b'] };
    assert.deepEqual(sampleFromSchema(schema), { a: 3, b: 'mock' });
    assert.deepEqual(sampleFromSchema(schema, new DocumentText('nothing here')), { a: null, b: null });
  });

  it('follows local $refs and merges allOf', () => {
    const schema = {
      $defs: { code: { type: 'string', pattern: '^[A-Z]{2}$' }, base: { type: 'object', properties: { id: { type: 'integer', minimum: 10 } }, required: ['id'] } },
      type: 'object',
      properties: { country: { $ref: '#/$defs/code' }, item: { allOf: [{ $ref: '#/$defs/base' }] } },
      required: ['country', 'item'],
    };
    const value = sampleFromSchema(schema);
    assert.deepEqual(value, { country: 'AB', item: { id: 10 } });
    assertValid(schema, value);
  });

  it('takes the first anyOf / oneOf branch, and const and enum values', () => {
    assert.equal(sampleFromSchema({ anyOf: [{ type: 'integer', minimum: 5 }, { type: 'string' }] }), 5);
    assert.equal(sampleFromSchema({ oneOf: [{ const: 'x' }, { type: 'string' }] }), 'x');
    assert.equal(sampleFromSchema({ type: 'string', enum: ['open', 'closed'] }), 'open');
  });

  it('finds integer multiples inside exclusive bounds', () => {
    for (const schema of [
      { type: 'integer', exclusiveMinimum: 10, multipleOf: 5 },
      { type: 'integer', minimum: -20, maximum: -7, multipleOf: 4 },
      { type: 'integer', exclusiveMaximum: 0 },
    ]) {
      assertValid(schema, sampleFromSchema(schema));
    }
  });

  it('samples every supported format validly', () => {
    for (const format of formats) assertValid({ type: 'string', format }, sampleFromSchema({ type: 'string', format }));
  });

  it('fills believable values from the document and checks them against the schema', () => {
    const schema = {
      type: 'object',
      properties: {
        invoice_number: { type: 'string', pattern: '^INV-\\d+$' },
        due_date: { type: 'string', format: 'date' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        amount_due: { type: 'number', minimum: 0 },
        quantity: { type: 'integer', maximum: 5 },
      },
      required: ['invoice_number', 'due_date', 'currency', 'amount_due', 'quantity'],
    };
    const document = new DocumentText('Invoice No.: INV-77\nDue date: 03/12/2026\nAmount due: 1.234,56 €\nQuantity: 9');
    assert.deepEqual(sampleFromSchema(schema, document), { invoice_number: 'INV-77', due_date: '2026-03-12', currency: 'EUR', amount_due: 1234.56, quantity: 1 });
  });

  it('leaves out optional properties the document does not state', () => {
    const schema = { type: 'object', properties: { total: { type: 'number' }, note: { type: 'string' } }, required: ['total'] };
    assert.deepEqual(sampleFromSchema(schema, new DocumentText('Gesamt: 10,00')), { total: 10 });
  });
});
