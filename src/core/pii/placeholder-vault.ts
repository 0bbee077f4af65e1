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

  /** True when `text` is an unfinished beginning of some placeholder in this vault (`<EM`, `<EMAIL_1`). */
  startsPlaceholder(text: string): boolean {
    for (const placeholder of this.byPlaceholder.keys()) if (placeholder.length > text.length && placeholder.startsWith(text)) return true;
    return false;
  }

  get size(): number {
    return this.byPlaceholder.size;
  }

  get longestPlaceholder(): number {
    return this.longest;
  }
}
