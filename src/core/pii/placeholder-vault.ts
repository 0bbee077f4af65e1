import type { PiiType } from './pii-type.js';

/** `<EMAIL_1>`, `<CARD_12>`: what redaction writes and restoration looks for. */
export const placeholderPattern = /<[A-Z]+_\d+>/g;

/**
 * The placeholder ↔ value map of one request. It lives in memory for that request only and is
 * never serialised: restoring a later request's answer needs that request's own vault.
 */
export class PlaceholderVault {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, string>();
  private readonly counters = new Map<PiiType, number>();
  private longest = 0;

  /** `taken`: placeholder-shaped text already in the request, which must not be reused. */
  constructor(private readonly taken: ReadonlySet<string> = new Set()) {}

  /** The same value of the same type always gets the same placeholder. */
  placeholderFor(type: PiiType, value: string): string {
    const key = `${type}\u0000${value}`;
    const existing = this.byValue.get(key);
    if (existing !== undefined) return existing;
    let placeholder: string;
    do {
      const next = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, next);
      placeholder = `<${type}_${next}>`;
    } while (this.taken.has(placeholder));
    this.byValue.set(key, placeholder);
    this.byPlaceholder.set(placeholder, value);
    this.longest = Math.max(this.longest, placeholder.length);
    return placeholder;
  }

  original(placeholder: string): string | undefined {
    return this.byPlaceholder.get(placeholder);
  }

  /**
   * True when `text` is an unfinished beginning of some placeholder in this vault (`<EM`,
   * `<EMAIL_1`). Read from the counters, not by trying every placeholder: a stream asks this
   * of each chunk's tail, and a hostile request can have hundreds of thousands of them.
   */
  startsPlaceholder(text: string): boolean {
    const parts = /^<([A-Z]*)(?:_(\d*))?$/.exec(text);
    if (!parts) return false;
    const [, letters = '', digits] = parts;
    for (const [type, count] of this.counters) {
      if (digits === undefined ? type.startsWith(letters) : type === letters && (digits === '' || (digits[0] !== '0' && Number(digits) <= count))) return true;
    }
    return false;
  }

  get size(): number {
    return this.byPlaceholder.size;
  }

  get longestPlaceholder(): number {
    return this.longest;
  }
}
