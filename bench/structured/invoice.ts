import type { ChatMessage } from '../../src/wire/chat.js';
import { pick, randomFor } from './prng.js';

export const invoiceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    number: { type: 'string' },
    date: { type: 'string', format: 'date' },
    vendor: { type: 'string' },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' },
    total: { type: 'number', minimum: 0 },
    line_items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: { description: { type: 'string' }, quantity: { type: 'number' }, unit_price: { type: 'number' }, amount: { type: 'number' } },
        required: ['description', 'quantity', 'unit_price', 'amount'],
      },
    },
  },
  required: ['number', 'date', 'vendor', 'currency', 'total', 'line_items'],
} as const satisfies Record<string, unknown>;

export interface LineItem {
  description: string;
  quantity: number;
  unit_price: number;
  amount: number;
}

export interface Invoice {
  number: string;
  date: string;
  vendor: string;
  currency: string;
  total: number;
  line_items: LineItem[];
}

const vendors = ['Acme Trading Co', 'Nordlys Fisk AS', 'Kettle & Sons Ltd', 'Bureau Veritas SA', 'Hoffmann Elektro GmbH', 'Osaka Precision KK'];
const currencies = ['EUR', 'USD', 'GBP', 'NOK', 'JPY', 'CHF'];
const products = ['Widgets', 'Consulting hours', 'Steel brackets', 'Freight', 'Licence renewal', 'Cable ties (box)', 'Calibration service'];
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const cents = (value: number) => Math.round(value * 100) / 100;

/** The true invoice behind document `id`: the server answers from it, the bench checks records against it. */
export function generateInvoice(seed: number, id: number): Invoice {
  const random = randomFor(seed, id, 0);
  const line_items = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
    const quantity = 1 + Math.floor(random() * 20);
    const unit_price = cents(5 + random() * 400);
    return { description: pick(random, products), quantity, unit_price, amount: cents(quantity * unit_price) };
  });
  const day = 1 + Math.floor(random() * 28);
  const month = 1 + Math.floor(random() * 12);
  return {
    number: `INV-2024-${String(id).padStart(5, '0')}`,
    date: `2024-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    vendor: pick(random, vendors),
    currency: pick(random, currencies),
    total: cents(line_items.reduce((sum, item) => sum + item.amount, 0)),
    line_items,
  };
}

/** The rendered pipeline prompt for document `id`: the invoice as a scanned-text document. */
export function documentMessages(id: number, invoice: Invoice): ChatMessage[] {
  const [year, month, day] = invoice.date.split('-').map(Number) as [number, number, number];
  const lines = invoice.line_items.map(
    (item) => `  ${item.description.padEnd(22)} ${String(item.quantity).padStart(3)} x ${item.unit_price.toFixed(2)} = ${item.amount.toFixed(2)}`,
  );
  const document = [
    `Document #${id}`,
    invoice.vendor,
    `INVOICE ${invoice.number}    Date: ${day} ${months[month - 1]} ${year}`,
    ...lines,
    `  TOTAL ${invoice.currency} ${invoice.total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
  ].join('\n');
  return [
    { role: 'system', content: 'You extract invoice fields from documents. Amounts are numbers, dates are YYYY-MM-DD, currency is an ISO 4217 code.' },
    { role: 'user', content: document },
  ];
}
