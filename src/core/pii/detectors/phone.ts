import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Detection } from '../pii-type.js';

/** National formats are tried in this order; international (+CC / 00CC) numbers work for every country. */
export const defaultPhoneCountries: readonly CountryCode[] = ['US', 'GB', 'IN', 'FR', 'ES', 'DE', 'IT', 'NL', 'BR', 'PT', 'PL', 'BE', 'CH', 'IE', 'CA', 'AU'];

// A run of digits with the separators people type in phone numbers.
const candidate = /(?<![\w+\-./,])(?:\+|00)?\(?\d[\d \-.\u00a0()/]{5,22}\d(?![\w-]|[.,/]\d)/g;
const datePattern = /^\d{1,4}[-./ ]\d{1,2}[-./ ]\d{2,4}$/;
// 2024-0815-3371, 2024/118: year-prefixed references. 20240611.3: a decimal number. 172.31.0.0: an IPv4 address.
// 123.456.789-09: a CPF's shape. 1.234.567: a thousands-grouped amount. 1 85 05 78 006 084 36: a French NIR's.
const notPhoneShape =
  /^(?:(?:19|20)\d{2}[-/.]|\d+[.,]\d{1,2}$|\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)|\d{3}\.\d{3}\.\d{3}-\d{2}$|\d{1,3}(?:[.,]\d{3})+$|[1-478] \d{2} \d{2} \d{2} \d{3} \d{3}(?: \d{2})?$)/;
// A number right after one of these labels is an order, account or ticket number, not a phone.
const notPhoneContext = new RegExp(
  String.raw`(?:order|invoice|ticket|tracking|ref|reference|case|account|acct|routing|sku|serial|id|no[.:#]|nr\.?|n\.|#|batch|build|version|policy|customer|member|employee|isbn|iban|bic|sort code|aadhaa?r|uid|ssn|nino|dni|nie|passport|licen[cs]e|postcode|zip|pin|pnr|awb|transaction|txn|consignment|vat|` +
    String.raw`kunden\w*|vertrag\w*|rechnung\w*|bestell\w*|auftrag\w*|sendung\w*|steuer\w*|referenz\w*|ust\w*|commande|facture|dossier|siret|siren|tva|pedido|factura|nif|cif|fattura|ordine|partita iva)` +
    String.raw`\s*(?:number|no\.?|nummer|n°|#|id)?\s*(?:is|was|:|#)?\s*(?:[A-Z]{2}\s?)?$`,
  'i',
);
const phoneContext =
  /(?<![\p{L}])(?:phone|telephone|tel|call|mobile|cell|whatsapp|sms|text|fax|number|dial|ring|reach|contact|telefon\w*|handy\w*|mobil\w*|rufnummer|nummer|anrufen|ruf|téléphone|tél|portable|numéro|appele\w*|joindre|teléfono|tlf|móvil|movil|llám\w*|número|contacto|ph|mob)\b[^\d\n]{0,25}$/iu;

/**
 * Phone numbers via libphonenumber (full metadata, so a number must be valid for its
 * country, not merely the right length). Candidates are cut out first so the library runs
 * on a few short strings, and a few rules keep order numbers and dates out: a date shape is
 * never a phone, a number after "order #" is not one, and a bare digit run (no spaces,
 * dashes or +) counts only after a word like "call" or "Telefon".
 */
export function detectPhones(text: string, countries: readonly CountryCode[] = defaultPhoneCountries, budget: PhoneBudget = { work: phoneWorkPerRequest }): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(candidate)) {
    const value = match[0].replace(/[\s\-.(/]+$/, '');
    const digits = value.replace(/\D/g, '').length;
    if (digits < 7 || digits > 15 || datePattern.test(value) || notPhoneShape.test(value)) continue;
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    const international = value.startsWith('+') || value.startsWith('00');
    if (!international && notPhoneContext.test(before)) continue;
    // A bare run in national form (a trunk 0 and 9 to 11 digits, "0612345678") is a phone; other bare runs need a cue.
    if (!international && /^\d+$/.test(value) && !/^0[1-9]\d{8,10}$/.test(value) && !phoneContext.test(before)) continue;
    // Past the budget a phone-shaped candidate counts as a phone unchecked: text with that many
    // is hostile or a contact list, and a wrong redaction costs less than a leaked number.
    const located = budget.work > 0 ? locate(value, international, countries, budget) : { start: 0, end: value.length };
    if (located) found.push({ type: 'PHONE', start: match.index + located.start, end: match.index + located.end });
  }
  return found;
}

/**
 * libphonenumber work left for one request, in parses (~5 µs each; a search costs 40): a
 * candidate that is no valid number costs ~2 ms, so 8 KB of "1 2 1 2 …" took 0.7 s and a
 * 4 MB body would have taken minutes. 4,000 is ~20 ms, and several hundred real numbers.
 */
export interface PhoneBudget {
  work: number;
}
export const phoneWorkPerRequest = 4_000;
const searchWork = 40;

function locate(value: string, international: boolean, countries: readonly CountryCode[], budget: PhoneBudget): { start: number; end: number } | undefined {
  // Fast path: the whole candidate is one valid number (parsing is ~10x cheaper than searching).
  for (const country of international ? (['GB'] as const) : countries) {
    budget.work--;
    if (parsePhoneNumberFromString(value, country)?.isValid()) return { start: 0, end: value.length };
  }
  for (const country of international ? (['GB'] as const) : countries) {
    budget.work -= searchWork;
    const numbers = findPhoneNumbersInText(value, country);
    const best = numbers.reduce<(typeof numbers)[number] | undefined>(
      (longest, number) => (!longest || number.endsAt - number.startsAt > longest.endsAt - longest.startsAt ? number : longest),
      undefined,
    );
    if (best) return { start: best.startsAt, end: best.endsAt };
  }
  return undefined;
}
