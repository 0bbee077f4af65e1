import { placeholderPattern, type PlaceholderVault } from './placeholder-vault.js';

export interface RestoreOptions {
  /** The text is (part of) a JSON document, e.g. tool-call arguments: restored values are JSON-string escaped. */
  json?: boolean;
}

/** Puts the original values back for every placeholder of `vault`; other `<…>` text is left alone. */
export function restoreText(text: string, vault: PlaceholderVault, options: RestoreOptions = {}): string {
  if (vault.size === 0 || !text.includes('<')) return text;
  return text.replace(placeholderPattern, (placeholder) => {
    const original = vault.original(placeholder);
    if (original === undefined) return placeholder;
    return options.json ? JSON.stringify(original).slice(1, -1) : original;
  });
}

/** Text longer than this is restored a slice at a time, with a turn of the event loop between slices. */
export const restoreSliceLength = 32_768;

/**
 * `restoreText` for answers of any length without holding the event loop: an upstream that
 * echoes a 4 MB scrubbed prompt sends back ~450,000 placeholders, and replacing them in one
 * pass held the loop ~300 ms. Slices go through a StreamRestorer, so a placeholder cut by a
 * slice's end is completed by the next one.
 */
export async function restoreLongText(text: string, vault: PlaceholderVault, options: RestoreOptions = {}): Promise<string> {
  if (text.length <= restoreSliceLength) return restoreText(text, vault, options);
  const restorer = new StreamRestorer(vault, options);
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += restoreSliceLength) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(restorer.push(text.slice(start, start + restoreSliceLength)));
  }
  parts.push(restorer.flush());
  return parts.join('');
}

/**
 * Restores placeholders in a stream of text deltas. A delta that ends in what may be the start
 * of a placeholder (`… <EM`) holds that tail back until the next delta decides it; the hold-back
 * is never longer than the vault's longest placeholder, so text that is not a placeholder is
 * only delayed by a few characters.
 *
 * @example
 * const restorer = new StreamRestorer(vault);
 * restorer.push('Write to <EM'); // 'Write to '
 * restorer.push('AIL_1> now');   // 'jane@example.com now'
 * restorer.flush();              // ''
 */
export class StreamRestorer {
  private pending = '';

  constructor(
    private readonly vault: PlaceholderVault,
    private readonly options: RestoreOptions = {},
  ) {}

  push(delta: string): string {
    const text = this.pending + delta;
    const holdFrom = this.holdBackStart(text);
    this.pending = text.slice(holdFrom);
    return restoreText(text.slice(0, holdFrom), this.vault, this.options);
  }

  /** Ends the stream: whatever was held back is emitted (it never completed into a placeholder). */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return restoreText(rest, this.vault, this.options);
  }

  /** Index of the earliest `<` in the tail that could still grow into a placeholder, else the text's length. */
  private holdBackStart(text: string): number {
    if (this.vault.size === 0) return text.length;
    for (let index = Math.max(0, text.length - this.vault.longestPlaceholder + 1); index < text.length; index++) {
      if (text[index] === '<' && this.vault.startsPlaceholder(text.slice(index))) return index;
    }
    return text.length;
  }
}
