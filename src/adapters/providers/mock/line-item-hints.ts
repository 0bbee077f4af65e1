import type { DocumentText } from './document-text.js';
import { normaliseName, parseNumber } from './document-text.js';

type Node = Record<string, unknown>;

/** Rows that sum up rather than list an item. */
const summaryRow = /^(total|subtotal|grandtotal|summe|gesamt|zwischensumme|vat|tax|salestax|mwst|zzgl|ust|balance|amountdue|netto|brutto|shipping|freight)/;
const numericCell = /^[-+]?(?:[€$£¥]|[A-Z]{3})?\s?(\d[\d.,]*)\s?(?:[€$£¥%]|[A-Z]{3}|kg|lb)?$/;

/**
 * Line items guessed from table-like rows (`Hex bolts …   12   £18.40   £220.80`), as partial
 * items for an array whose items are objects with one text and some numeric properties: the
 * longest text cell fills the first string property, the row's last numbers fill the numeric
 * properties in order. Cheap and approximate; the caller checks every value.
 */
export function lineItemHints(document: DocumentText, items: Node): Array<Record<string, unknown>> {
  const properties = typeof items.properties === 'object' && items.properties !== null ? (items.properties as Record<string, Node>) : {};
  const entries = Object.entries(properties);
  const textName = entries.find(([, child]) => typeOf(child) === 'string')?.[0];
  const numberNames = entries.filter(([, child]) => typeOf(child) === 'number' || typeOf(child) === 'integer').map(([name]) => name);
  const required = new Set(Array.isArray(items.required) ? items.required : []);
  const requiredNumbers = numberNames.filter((name) => required.has(name));
  if (textName === undefined || numberNames.length === 0) return [];

  const hints: Array<Record<string, unknown>> = [];
  for (const cells of document.rows()) {
    const numbers: number[] = [];
    const texts: string[] = [];
    for (const cell of cells) {
      const numeric = numericCell.exec(cell);
      const value = numeric ? parseNumber(numeric[1]!) : undefined;
      if (value !== undefined) numbers.push(value);
      else if (/\p{L}/u.test(cell)) texts.push(cell);
    }
    const text = texts.reduce<string | undefined>((longest, cell) => (longest === undefined || cell.length > longest.length ? cell : longest), undefined);
    if (text === undefined || summaryRow.test(normaliseName(text)) || numbers.length < Math.max(requiredNumbers.length, 1)) continue;
    const names = numbers.length >= numberNames.length ? numberNames : requiredNumbers.length === numbers.length ? requiredNumbers : undefined;
    if (names === undefined) continue;
    const used = numbers.slice(numbers.length - names.length);
    hints.push({ [textName]: text, ...Object.fromEntries(names.map((name, index) => [name, used[index]])) });
  }
  return hints;
}

function typeOf(node: Node): unknown {
  return Array.isArray(node.type) ? node.type.find((type) => type !== 'null') : node.type;
}
