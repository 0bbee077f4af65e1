import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Detection } from '../pii-type.js';

/** National formats are tried in this order; international (+CC / 00CC) numbers work for every country. */
export const defaultPhoneCountries: readonly CountryCode[] = ['US', 'GB', 'IN', 'FR', 'ES', 'DE', 'IT', 'NL', 'BR', 'PT', 'PL', 'BE', 'CH', 'IE', 'CA', 'AU'];

// A run of digits with the separators people type in phone numbers.
// A comma before it counts only after a non-digit (a CSV field, "Jan,+31612345678"), never
// inside "1,234,567". An "x" right after is an extension ("415-823-4471x204").
const candidate = /(?<![\w+\-./]|\d,)\(?(?:\+|00)?\(?\d[\d \-.\u00a0()/]{5,40}\d(?!(?!x\d)[\w-]|[.,/]\d)/g;
const datePattern = /^\d{1,4}[-./ ]\d{1,2}[-./ ]\d{2,4}$/;
// 2024-0815-3371, 2024/118: year-prefixed references. 20240611.3: a decimal number. 172.31.0.0: an IPv4 address.
// 123.456.789-09: a CPF's shape. 1.234.567: a thousands-grouped amount. 1 85 05 78 006 084 36: a French NIR's.
// 20250312 1000: a compact date. 1710502345.123: a decimal number. 12/03/2025 14: a date and an hour. (2024) 123-456, 2025 0312 445: a year, then a reference.
const notPhoneShape =
  /^(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)|\d{1,2}([./-])\d{1,2}\1\d{4}(?!\d)|\(?(?:19|20)\d{2}\)?[ ]\d|(?:19|20)\d{2}[-/.]|\d+[.,]\d{1,3}$|\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)|\d{3}\.\d{3}\.\d{3}-\d{2}$|\d{1,3}(?:[.,]\d{3})+$|[1-478] \d{2} \d{2} \d{2} \d{3} \d{3}(?: \d{2})?$)/;
// A number right after one of these labels is an order, account or ticket number, not a phone.
const notPhoneContext = new RegExp(
  String.raw`(?<![\p{L}])(?:order|invoice|ticket|tracking|ref|reference|case|account|acct|routing|sku|serial|id|(?<!(?:contact|phone|mobile|mob|cell|tel|fax|whatsapp)\.?[ \t]?)(?:no[.:#]|nr\.?|n\.|#)|cep|cnpj|cpf|nip|regon|krs|ean|upc|gtin|imei|plz|blz|bankleitzahl|duns|batch|build|version|policy|customer|member|employee|isbn|iban|bic|sort code|aadhaa?r|uid|ssn|nino|dni|nie|passport|licen[cs]e|postcode|zip|pin|pnr|awb|transaction|txn|consignment|vat|po|rcs|kvk|ein|tin|crn|company|code|otp|utr|upi|room|ext|konto\w*|rekening\w*|compte|cuenta|conto|lieferschein\w*|referentie|kenmerk|suivi|colis|paket\w*|pakket\w*|zending\w*|bestel\w*|nf-?e|nota fiscal|protocolo|rastreio|zamówieni\w*|faktur\w*|numer zamówienia|` +
    String.raw`kunden\w*|vertrag\w*|rechnung\w*|bestell\w*|auftrag\w*|sendung\w*|steuer\w*|referenz\w*|ust\w*|commande|facture|dossier|siret|siren|tva|pedido|factura|nif|cif|fattura|ordine|partita iva)\.?` +
    String.raw`\s*(?:number|no\.?|nr\.?|nummer|n°|#|id)?\s*(?:is|was|:|#)?\s*(?:[A-Z]{2}\s?)?$`,
  'iu',
);
// Cues for a bare run of digits. "number" alone is not one ("Het nummer 406324488 is geen
// geldig BSN"); "my number" is.
const phoneContext =
  /(?<![\p{L}])(?:phone|telephone|tel|call|mobile|cell|whatsapp|sms|text|fax|dial|ring|reach|contact|telefon\w*|telefoon\w*|handy\w*|mobil\w*|mobiel|rufnummer|anrufen|ruf|bel|téléphone|tél|portable|appele\w*|joindre|teléfono|tlf|móvil|movil|llám\w*|contacto|ph|mob|msisdn|(?:my|mein\w*|mijn|mon|mi|meu|il mio|mój) (?:number|nummer|numéro|número|numero|numer))\b[^\d\n]{0,25}$/iu;

// 12 34 56 78 90: a list of numbers (a national number in pairs starts with its trunk 0).
// 12 345 678: an amount grouped in thousands.
// ("0 800 123 456" starts with a trunk 0, so it is a French freephone number, not an amount.)
// 48.858370: a coordinate or a decimal. 10.00-14.00, 09:00–17:30: opening hours.
const decimalOrHours = /^(?:[1-9]\d{0,2}\.\d{4,8}|\d{1,2}[.:]\d{2}[ ]?[-–][ ]?\d{1,2}[.:]\d{2})$/;
// "1Z 999 AA1 01 2345 6784": digits right after a code of letters and digits are the rest of that code.
const afterCode = /(?<![\p{L}\d])(?=[\p{L}\d]{0,11}\d)(?=[\p{L}\d]{0,11}\p{L})[\p{L}\d]{2,12}[ ]$/u;
const listOrAmountShape = /^(?:[1-9]\d(?: \d{2}){3,}|[1-9]\d?(?: \d{3}){2,})$/;
// A currency or unit right after: "12 345 678 EUR", "1 299 000 zł", "4 500 000 people".
const notPhoneAfter =
  /^\s?(?:€|\$|£|¥|₹|zł|kr\b|(?:EUR|USD|GBP|CHF|PLN|BRL|INR|SEK|Rs|R\$)\b|(?:euros?|dollars?|pounds?|rupees?|reais|złotych|people|users|inhabitants|visitors|downloads|views|bytes|km|kg|tonnes?)\b)/iu;

/**
 * Whether the digit groups look typed as a phone number: after the country code (or a "(0)"
 * trunk) and the first group, no group is a single digit. "1 0 0 0 1 0 0 0 1", "0.12 0.34
 * 0.56" and "3 - 1 - 2 - 4" are lists; "+33 6 12 34 56 78" and "1-800-555-0199" are phones.
 */
function plausibleGroups(value: string, international: boolean): boolean {
  // "+49 (0)89 / 123 456-0": a German switchboard's "-0" ends the number; "21 9 8765-4321",
  // "+55 11 9 8765-4321": a Brazilian mobile's leading 9 is often written apart.
  const typed = value
    .replace(/\(0\)/, ' ')
    .replace(/(\d{3}[ ]?\d{2,})-\d$/, '$1')
    .replace(/^((?:\+|00)?55[ ]?)?(\(?\d{2}\)?[ ])9[ ](?=\d{4}[- ]?\d{4}$)/, '$1$29');
  const groups = typed.match(/\d+/g) ?? [];
  for (let index = international ? 2 : 1; index < groups.length; index++) if (groups[index]!.length === 1) return false;
  return true;
}

/** "1203-1205", "4710-4790": two numbers of one length, the second a little above the first. */
function isRange(value: string): boolean {
  const range = /^(\d{2,5})[ ]?[-–][ ]?(\d{2,5})$/.exec(value);
  if (!range || range[1]!.length !== range[2]!.length) return false;
  const difference = Number(range[2]) - Number(range[1]);
  return difference > 0 && difference < 100;
}

/**
 * Phone numbers via libphonenumber (full metadata, so a number must be valid for its
 * country, not merely the right length). Candidates are cut out first so the library runs
 * on a few short strings, and a few rules keep order numbers and dates out: a date shape is
 * never a phone, a number after "order #" is not one, and a bare digit run (no spaces,
 * dashes or +) counts only after a word like "call" or "Telefon".
 */
export function detectPhones(text: string, countries: readonly CountryCode[] = defaultPhoneCountries, budget: PhoneBudget = { work: phoneWorkPerRequest }): Detection[] {
  const found: Detection[] = [];
  // Narrow no-break and thin spaces (French typography) and en dashes (word processors) are
  // read as spaces and dashes; one character for one, so offsets stay those of the text.
  if (/[\u2009\u202f\u2013]/.test(text)) text = text.replace(/[\u2009\u202f]/g, ' ').replace(/\u2013/g, '-');
  for (const whole of text.matchAll(candidate)) {
    // "+91-11-23456789 / 98450 12345": two numbers, each looked at on its own.
    for (const match of splitAlternatives(whole[0], whole.index)) {
      const value = match[0].replace(/[\s\-.(/]+$/, '');
      const digits = value.replace(/\D/g, '').length;
      if (digits < 7 || digits > 15 || datePattern.test(value) || notPhoneShape.test(value) || decimalOrHours.test(value)) continue;
      const before = text.slice(Math.max(0, match.index - 40), match.index);
      if (afterCode.test(before)) continue;
      const international = /^\(?(?:\+|00)/.test(value);
      if (!international && (listOrAmountShape.test(value) || notPhoneAfter.test(text.slice(match.index + match[0].length, match.index + match[0].length + 12)))) continue;
      if (!plausibleGroups(value, international) || (!international && isRange(value))) continue;
      if (!international && notPhoneContext.test(before)) continue;
      // A bare run in national form (a trunk 0 and 9 to 11 digits, "0612345678") is a phone; other bare runs need a cue.
      if (!international && /^\d+$/.test(value) && !/^0[1-9]\d{8,10}$/.test(value) && !phoneContext.test(before)) continue;
      // Past the budget a phone-shaped candidate counts as a phone unchecked: text with that many
      // is hostile or a contact list, and a wrong redaction costs less than a leaked number.
      const located = budget.work > 0 ? locate(value, international, countries, budget) : { start: 0, end: value.length };
      if (located) found.push({ type: 'PHONE', start: match.index + located.start, end: match.index + located.end });
    }
  }
  return found;
}

/**
 * The parts of a candidate between " / " separators, each with its offset in the text, when
 * every part is long enough to be a number of its own; "0221 / 4711234" (area code / number,
 * a German habit) stays whole.
 */
function splitAlternatives(value: string, index: number): { 0: string; index: number }[] {
  if (!value.includes(' / ') || value.split(' / ').some((part) => part.replace(/\D/g, '').length < 7)) return [{ 0: value, index }];
  const parts: { 0: string; index: number }[] = [];
  let offset = 0;
  for (const part of value.split(' / ')) {
    parts.push({ 0: part, index: index + offset });
    offset += part.length + 3;
  }
  return parts;
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
  // An international number of the right length for its country code, though not allocated
  // ("+32 2 123 45 67", "+1 555 123 4567"), is still someone's way of writing a phone number.
  if (international) {
    budget.work--;
    if (parsePhoneNumberFromString(value.replace(/^\(?00/, '+').replace(/^\((\+\d{1,3})\)/, '$1'))?.isPossible()) return { start: 0, end: value.length };
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
