import { validDate } from './scalar-check.js';

/**
 * The document inside the mock provider's last user message, read cheaply for believable demo
 * answers: `Label: value` lines (also `Label   value`, Markdown / HTML table rows and
 * `<dt>`/`<dd>` pairs), the first date, currency and number, and table-like rows.
 * Heuristics only: every value is still checked against the schema by the caller.
 */
export class DocumentText {
  readonly lines: string[];
  private pairs?: Array<{ label: string; bare: string; value: string }>;

  constructor(message: string) {
    // Prompt templates fence the document in """ … """; read only the inside when they do.
    const start = message.indexOf('"""');
    const end = message.lastIndexOf('"""');
    const body = start >= 0 && end > start ? message.slice(start + 3, end) : message;
    const text = /<\/?[a-z][^>]*>/i.test(body) ? htmlToText(body) : body;
    this.lines = text
      .split(/\r?\n/)
      .map((line) =>
        line
          .replace(/\*\*|__/g, '')
          .replace(/^#+\s*/, '')
          .trim(),
      )
      .filter((line) => line !== '');
  }

  /** The value of the first line whose label normalises to one of `labels`. */
  labelled(labels: ReadonlySet<string>): string | undefined {
    this.pairs ??= this.readPairs();
    return this.pairs.find((pair) => labels.has(pair.label) || labels.has(pair.bare))?.value;
  }

  /** `Invoice INV-5521`, `Rechnung Nr. 8841`: an id-like token right after a word. */
  idAfter(word: string): string | undefined {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`\\b${escaped}\\s*(?:#|no\\.?|nr\\.?|number|id)?\\s*[:#]?\\s*([A-Z0-9][A-Z0-9/-]*\\d[A-Z0-9/-]*)\\b`, 'i');
    for (const line of this.lines) {
      const match = pattern.exec(line);
      if (match) return match[1];
    }
    return undefined;
  }

  /** The first line naming a company (`… Ltd`, `… GmbH`, `… Inc.`). */
  companyName(): string | undefined {
    return this.lines.find((line) => companySuffix.test(line) && line.length <= 80)?.replace(/\s*\|.*$/, '');
  }

  /** Rows of two or more cells: Markdown/HTML table rows, or text columns two spaces apart. */
  rows(): string[][] {
    return this.lines
      .map((line) => (line.includes('|') ? line.split('|') : line.split(/\s{2,}|\t/)).map((cell) => cell.trim()).filter((cell) => cell !== ''))
      .filter((cells) => cells.length >= 2);
  }

  get text(): string {
    return this.lines.join('\n');
  }

  private readPairs(): Array<{ label: string; bare: string; value: string }> {
    const pairs: Array<{ label: string; bare: string; value: string }> = [];
    this.lines.forEach((line, index) => {
      let label: string | undefined;
      let value: string | undefined;
      const cells = line.includes('|')
        ? line
            .split('|')
            .map((cell) => cell.trim())
            .filter((cell) => cell !== '')
        : [];
      const colon = /^([^:]{1,40}?)\s*:\s*(.*)$/.exec(line);
      const spaced = /^(\S.{0,39}?)\s{2,}(\S.*)$/.exec(line);
      if (cells.length >= 2) [label, value] = cells;
      else if (colon && !/^https?$/i.test(colon[1]!)) [label, value] = [colon[1]!, colon[2]!];
      else if (spaced) [label, value] = [spaced[1]!, spaced[2]!];
      if (label === undefined || value === undefined || !/\p{L}/u.test(label)) return;
      value = value.split(/\s{2,}|\s·\s/)[0]!.trim();
      // "Bill to:" with the name on the next line.
      if (value === '') value = this.lines[index + 1] ?? '';
      if (value !== '') pairs.push({ label: normaliseName(label), bare: normaliseName(label.replace(/\d+(?:[.,]\d+)?\s*%?/g, '')), value });
    });
    return pairs;
  }
}

/** Lower case, no accents, letters and digits only: "Invoice No." → "invoiceno". */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const companySuffix = /\b(?:Ltd|LTD|Limited|LIMITED|GmbH|Inc|INC|LLC|Corp|PLC|plc|AG|SE|B\.V\.|S\.r\.l\.|S\.A\.|e\.K\.)(?![A-Za-z])/;

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/dt>/gi, ': ')
    .replace(/<\/t[dh]>/gi, ' | ')
    .replace(/<tr[^>]*>/gi, '\n| ')
    .replace(/<br\s*\/?>|<\/(p|div|dd|li|h\d|tr|title|header|section|footer|table|thead|tbody|tfoot)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&euro;/g, '€')
    .replace(/&pound;/g, '£')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const months: Record<string, number> = {};
[
  ['january', 'jan', 'januar', 'jänner'],
  ['february', 'feb', 'februar'],
  ['march', 'mar', 'märz', 'maerz', 'mär'],
  ['april', 'apr'],
  ['may', 'mai'],
  ['june', 'jun', 'juni'],
  ['july', 'jul', 'juli'],
  ['august', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oct', 'oktober', 'okt'],
  ['november', 'nov'],
  ['december', 'dec', 'dezember', 'dez'],
].forEach((names, index) => names.forEach((name) => (months[name] = index + 1)));
const month = '([A-Za-zäÄ]{3,9})\\.?';
const datePatterns: Array<{ pattern: RegExp; parts: (match: RegExpExecArray) => [number, number | undefined, number] }> = [
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/, parts: (match) => [Number(match[1]), Number(match[2]), Number(match[3])] },
  { pattern: new RegExp(`\\b(\\d{1,2})\\.?\\s+${month}\\s+(\\d{4})\\b`), parts: (match) => [Number(match[3]), months[match[2]!.toLowerCase()], Number(match[1])] },
  { pattern: new RegExp(`\\b${month}\\s+(\\d{1,2}),?\\s+(\\d{4})\\b`), parts: (match) => [Number(match[3]), months[match[1]!.toLowerCase()], Number(match[2])] },
  { pattern: /\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b/, parts: (match) => [Number(match[3]), Number(match[2]), Number(match[1])] },
  // 03/12/2026 is read the US way (March 12) unless the first number cannot be a month.
  {
    pattern: /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/,
    parts: (match) => (Number(match[1]) > 12 ? [Number(match[3]), Number(match[2]), Number(match[1])] : [Number(match[3]), Number(match[1]), Number(match[2])]),
  },
];

/** The first valid date in `text` as YYYY-MM-DD. */
export function firstDate(text: string): string | undefined {
  let best: { index: number; iso: string } | undefined;
  for (const { pattern, parts } of datePatterns) {
    const global = new RegExp(pattern.source, 'g');
    for (const match of text.matchAll(global)) {
      if (best && match.index >= best.index) break;
      const [year, monthNumber, day] = parts(match as RegExpExecArray);
      if (monthNumber === undefined) continue;
      const iso = `${String(year).padStart(4, '0')}-${String(monthNumber).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      if (validDate(iso)) {
        best = { index: match.index, iso };
        break;
      }
    }
  }
  return best?.iso;
}

const currencyCodes = 'EUR|USD|GBP|JPY|CHF|CAD|AUD|NZD|CNY|HKD|SGD|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|TRY|INR|BRL|MXN|ZAR|KRW|AED|SAR|ILS|THB';
const currencyPattern = new RegExp(`\\b(${currencyCodes})\\b|([€$£¥])`);
const currencySymbols: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', '¥': 'JPY' };

/** The first ISO 4217 code or currency symbol in `text`, as a code. */
export function firstCurrency(text: string): string | undefined {
  const match = currencyPattern.exec(text);
  return match ? (match[1] ?? currencySymbols[match[2]!]) : undefined;
}

/** The first number in `text`, reading both 1,234.56 and 1.234,56. */
export function firstNumber(text: string): number | undefined {
  const match = /-?\d(?:[\d.,]*\d)?/.exec(text);
  return match ? parseNumber(match[0]) : undefined;
}

export function parseNumber(raw: string): number | undefined {
  let digits = raw;
  const comma = raw.lastIndexOf(',');
  const dot = raw.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) digits = comma > dot ? raw.replace(/\./g, '').replace(',', '.') : raw.replace(/,/g, '');
  else if (comma >= 0) digits = /^-?\d{1,3}(,\d{3})+$/.test(raw) ? raw.replace(/,/g, '') : raw.replace(',', '.');
  else if (raw.indexOf('.') !== dot) digits = raw.replace(/\./g, '');
  const value = Number(digits);
  return Number.isFinite(value) ? value : undefined;
}
