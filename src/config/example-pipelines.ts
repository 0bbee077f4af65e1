import type { InlinePromptConfig, PipelineConfig } from './schema.js';
import { defaultAccepts } from './schema.js';

/** The two example pipelines of the embedded default (and of examples/breakwater.yaml). */

const invoiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Invoice',
  type: 'object',
  additionalProperties: false,
  required: ['invoice_number', 'issue_date', 'vendor', 'currency', 'total', 'line_items'],
  properties: {
    invoice_number: { type: 'string', minLength: 1, description: 'The invoice number exactly as printed.' },
    issue_date: { type: 'string', format: 'date', description: 'Issue date, YYYY-MM-DD.' },
    vendor: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, address: { type: 'string' }, tax_id: { type: 'string' } },
    },
    buyer: { type: 'string', description: 'Who is billed.' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR.' },
    subtotal: { type: 'number', minimum: 0 },
    tax: { type: 'number', minimum: 0 },
    total: { type: 'number', minimum: 0, description: 'Amount due, a plain number (1234.5, not "1.234,50").' },
    line_items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'quantity', 'amount'],
        properties: {
          description: { type: 'string', minLength: 1 },
          quantity: { type: 'number', exclusiveMinimum: 0 },
          unit_price: { type: 'number', minimum: 0 },
          amount: { type: 'number' },
        },
      },
    },
  },
} as const;

const manifestSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Delivery manifest',
  type: 'object',
  additionalProperties: false,
  required: ['shipment_id', 'origin', 'destination', 'carrier', 'items'],
  properties: {
    shipment_id: { type: 'string', minLength: 1 },
    origin: { type: 'string', minLength: 1, description: 'City and country the shipment leaves from.' },
    destination: { type: 'string', minLength: 1 },
    carrier: { type: 'string', minLength: 1 },
    ship_date: { type: 'string', format: 'date' },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['description', 'quantity', 'weight_kg'],
        properties: {
          description: { type: 'string', minLength: 1 },
          quantity: { type: 'integer', minimum: 1 },
          weight_kg: { type: 'number', exclusiveMinimum: 0, description: 'Total weight of this line in kilograms.' },
        },
      },
    },
    total_weight_kg: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

export function examplePipelines(model: string): Record<string, PipelineConfig & { prompt: InlinePromptConfig }> {
  const common = { accepts: defaultAccepts, model, extraction: { strategy: 'auto' as const, maxAttempts: 3, temperature: 0 }, sinks: [{ type: 'store' as const }] };
  return {
    invoice: {
      ...common,
      description: 'Invoices (text, Markdown, HTML, PDF, DOCX) → number, date, vendor, currency, totals and line items.',
      prompt: {
        version: 1,
        system: 'You extract structured data from invoices. Answer with one JSON object and nothing else.',
        template:
          'Extract the invoice in the document below. Dates as YYYY-MM-DD; amounts as plain numbers with a dot as the decimal separator; currency as its ISO 4217 code. Omit fields the document does not state.\n\nDocument ({{filename}}):\n"""\n{{document}}\n"""',
      },
      schema: structuredClone(invoiceSchema) as unknown as Record<string, unknown>,
    },
    'delivery-manifest': {
      ...common,
      description: 'Delivery manifests → shipment id, origin, destination, carrier and items with weights.',
      prompt: {
        version: 1,
        system: 'You extract structured data from shipping documents. Answer with one JSON object and nothing else.',
        template:
          'Extract the delivery manifest in the document below. Weights in kilograms (convert pounds: 1 lb = 0.4536 kg); dates as YYYY-MM-DD.\n\nDocument ({{filename}}):\n"""\n{{document}}\n"""',
      },
      schema: structuredClone(manifestSchema) as unknown as Record<string, unknown>,
    },
  };
}
