import type { Detection, PiiType } from '../pii-type.js';
import { bsnValid, codiceFiscaleValid, cpfValid, nirValid, peselValid, personnummerValid, steuerIdValid } from './national-checksums.js';

// Runs of digits with one kind of separator (or none) between groups; the lookarounds keep a
// run from being the middle of a longer one ("+31 6 12345678", "DE89 3704 …") or of a code ("8R01234567890").
const elevenDigits = /(?<![\p{L}\d.,/+-]|\d[ ./-]|\+\d{1,3}[ ./-]?)\d(?:[ ./-]?\d){10}(?![ ./-]?\d|[.,]\d|\p{L})/gu;
const nineDigits = /(?<![\p{L}\d.,/+-]|\d[ ./-]|\+\d{1,3}[ ./-]?)\d(?:[ .-]?\d){8}(?![ ./-]?\d|[.,]\d|[./-]?\p{L})/gu;
const nirPattern = /(?<![\dA-Za-z])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AaBb])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\dA-Za-z])/g;
const sixteenCharacters = /(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{15}(?![A-Za-z0-9])/g;

// A number after one of these labels is an order, invoice or tracking number, whatever its checksum says.
const referenceLabel = new RegExp(
  String.raw`(?:(?:order|invoice|ticket|tracking|ref|reference|case|sku|serial|batch|build|version|isbn|transaction|txn|shipment|parcel|` +
    String.raw`bestell\w*|rechnung\w*|auftrag\w*|sendung\w*|kunden\w*|factuur\w*|bestelling\w*|order\w*|zending\w*|klant\w*|commande|facture|colis|` +
    String.raw`pedido|factura|ordine|fattura|spedizione|nota fiscal|protocolo|rastreio|zamówieni\w*|faktur\w*)` +
    // Company, tax and product numbers: "Partita IVA 01234567890", "KvK 12345678", "CNPJ …", "UPC …".
    String.raw`|\b(?:partita iva|p\.[ ]?iva|vat|tva|btw|ust-?id\w*|nip|regon|krs|kvk|cnpj|siret|siren|cif|ein|gstin|ean|upc|gtin|imei|cep|plz))` +
    String.raw`[\s.:#-]*(?:number|no\.?|nummer|nr\.?|n[°º.]?|número|numero)?[\s.:#-]*(?:[a-z]{2}[\s-]?)?$`,
  'i',
);
const cpfContext = /\bcpf\b|cadastro de pessoas/i;

const before = (text: string, index: number, length = 40) => text.slice(Math.max(0, index - length), index);
const onlySeparator = (value: string) => new Set(value.replace(/[\dA-Za-z]/g, '')).size <= 1;

function push(found: Detection[], type: PiiType, index: number, value: string): void {
  found.push({ type, start: index, end: index + value.length });
}

/**
 * German Steuer-IdNr (11 digits, "12 345 678 901" or compact) by its check digit and digit
 * structure. A run that is also a valid CPF goes to detectCpfs when "CPF" is near.
 */
export function detectSteuerIds(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(elevenDigits)) {
    const value = match[0];
    if (!onlySeparator(value)) continue;
    const digits = value.replace(/\D/g, '');
    const context = before(text, match.index, 60);
    if (!steuerIdValid(digits) || referenceLabel.test(before(text, match.index))) continue;
    if (cpfContext.test(context) && cpfValid(digits)) continue;
    push(found, 'STEUERID', match.index, value);
  }
  return found;
}

/** Brazilian CPF ("123.456.789-09" or 11 bare digits) by its two check digits. */
export function detectCpfs(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(elevenDigits)) {
    const value = match[0];
    const digits = value.replace(/\D/g, '');
    if (!cpfValid(digits) || referenceLabel.test(before(text, match.index))) continue;
    const formatted = /^\d{3}\.\d{3}\.\d{3}[-/]\d{2}$/.test(value) || /^\d{9}-\d{2}$/.test(value);
    if (!formatted && !onlySeparator(value)) continue;
    // Eleven digits valid both ways are a Steuer-IdNr unless the text says CPF.
    if (!formatted && steuerIdValid(digits) && !cpfContext.test(before(text, match.index, 60))) continue;
    push(found, 'CPF', match.index, value);
  }
  return found;
}

/**
 * Dutch BSN (9 digits, "123456782", "1234.56.782", "123 456 782") by the elfproef. One in
 * eleven random 9-digit numbers passes it, so a number after an order or invoice label is
 * not one, nor are thousands groups ("123.456.789") without "BSN" near.
 */
export function detectBsns(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(nineDigits)) {
    const value = match[0];
    if (!onlySeparator(value)) continue;
    const digits = value.replace(/\D/g, '');
    if (!bsnValid(digits)) continue;
    const context = before(text, match.index, 60);
    if (referenceLabel.test(before(text, match.index))) continue;
    const bsnNear = /\bbsn\b|burgerservice|sofi/i.test(context);
    if (!bsnNear && (/^\d{3}[.,]\d{3}[.,]\d{3}$/.test(value) || /^\d{3}-\d{2}-\d{4}$/.test(value))) continue;
    push(found, 'BSN', match.index, value);
  }
  return found;
}

/** French NIR (numéro de sécurité sociale, 15 characters with its key, spaced or compact). */
export function detectNirs(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(nirPattern)) {
    const value = match[0];
    if (nirValid(value.replace(/[ .]/g, '').toUpperCase())) push(found, 'NIR', match.index, value);
  }
  return found;
}

/** Italian codice fiscale (16 letters and digits, with omocodia substitutions) by its check letter. */
export function detectCodiciFiscali(text: string): Detection[] {
  const found: Detection[] = [];
  for (const match of text.matchAll(sixteenCharacters)) {
    const value = match[0];
    const upper = value.toUpperCase();
    // Mixed case is a word or an identifier in code, not a fiscal code someone typed.
    if (value !== upper && value !== value.toLowerCase()) continue;
    if (codiceFiscaleValid(upper)) push(found, 'CODICEFISCALE', match.index, value);
  }
  return found;
}

// PESEL: eleven digits, compact (as issued) or in groups of one kind of separator.
const peselContext = /\bpesel\b/i;
// Personnummer: 850709-9805, 19850709-9805, 850709+9805 (over 100), or compact.
const personnummerPattern = /(?<![\p{L}\d.,/+-])(?:\d{2})?\d{6}[-+ ]?\d{4}(?![\p{L}\d]|[.,]\d)/gu;
const personnummerContext = /person(?:nummer|nr|numret)|person-nr|samordningsnummer|personal identity number|swedish id/i;

/**
 * Polish PESEL by its birth date and check digit, when "PESEL" is written within 60 characters
 * before it: one eleven-digit number in thirty passes both, and Polish texts name it.
 */
export function detectPesels(text: string): Detection[] {
  const found: Detection[] = [];
  if (!peselContext.test(text)) return found;
  for (const match of text.matchAll(elevenDigits)) {
    const value = match[0];
    if (onlySeparator(value) && peselValid(value.replace(/\D/g, '')) && peselContext.test(before(text, match.index, 60))) push(found, 'PESEL', match.index, value);
  }
  return found;
}

/**
 * Swedish personnummer and samordningsnummer by birth date and Luhn digit, when the word
 * (personnummer, personnr, samordningsnummer) is within 60 characters before it: a dated
 * reference such as "240315-0042" has the same shape.
 */
export function detectPersonnummer(text: string): Detection[] {
  const found: Detection[] = [];
  if (!personnummerContext.test(text)) return found;
  for (const match of text.matchAll(personnummerPattern)) {
    const value = match[0];
    if (personnummerValid(value.replace(/\D/g, '')) && personnummerContext.test(before(text, match.index, 60))) push(found, 'PERSONNUMMER', match.index, value);
  }
  return found;
}
