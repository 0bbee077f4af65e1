import type { Hash } from 'node:crypto';

/** Characters handed on at a time. */
const sliceChars = 32_768;

/**
 * Feeds `canonicalJson(value, skipTop)` to `hash` without building it: the same digest, from
 * pieces of at most ~32 K characters (see `forEachJsonPiece`). Building the text of a 4 MB
 * request and hashing it held the loop ~40-60 ms per cache key under load (a 4 MB rope
 * flattened, then encoded whole).
 */
export function updateWithCanonicalJson(hash: Hash, value: unknown, skipTop?: ReadonlySet<string>): Hash {
  forEachJsonPiece(value, (piece) => hash.update(piece), { sortKeys: true, ...(skipTop ? { skipTop } : {}) });
  return hash;
}

export interface JsonPieceOptions {
  /** Members in sorted order (canonical JSON) rather than insertion order (JSON.stringify's). */
  sortKeys?: boolean;
  /** Top-level members left out. */
  skipTop?: ReadonlySet<string>;
  /**
   * Strings longer than a piece are handed here whole, unescaped, in their place between the
   * pieces (their quotes are in the pieces), so a caller can escape them later, a slice at a
   * time (`forEachEscapedSlice`), in turns of its own.
   */
  longString?: (text: string) => void;
}

/**
 * Hands `each` the JSON text of `value` in pieces of at most ~32 K characters whose
 * concatenation is the text (JSON.stringify's, or canonical JSON with `sortKeys`), without
 * building it. A string of megabytes is encoded into one fresh buffer of its size, and freshly
 * touched memory is dear on a VM where each page faults (~15 µs per 4 KB here). A slice never
 * ends between the two halves of a surrogate pair, which would encode as two U+FFFD instead of
 * the character; long strings are escaped a slice at a time, which JSON allows (escaping is per
 * character). Values JSON.stringify leaves out (undefined members, functions) are left out.
 */
export function forEachJsonPiece(value: unknown, each: (piece: string) => void, options: JsonPieceOptions = {}): void {
  let pending = '';
  const push = (piece: string) => {
    pending += piece;
    if (pending.length >= sliceChars) {
      each(pending);
      pending = '';
    }
  };
  const pushString = (text: string) => {
    if (text.length <= sliceChars) return push(JSON.stringify(text));
    push('"');
    each(pending);
    pending = '';
    if (options.longString) options.longString(text);
    else forEachEscapedSlice(text, each);
    push('"');
  };
  const write = (item: unknown, skip?: ReadonlySet<string>) => {
    if (typeof item === 'string') return pushString(item);
    if (item === null || typeof item !== 'object') return push(JSON.stringify(item) ?? 'null');
    if (typeof (item as { toJSON?: unknown }).toJSON === 'function') return write((item as { toJSON: () => unknown }).toJSON());
    if (Array.isArray(item)) {
      push('[');
      for (let index = 0; index < item.length; index++) {
        if (index > 0) push(',');
        const element = item[index];
        write(element === undefined || typeof element === 'function' || typeof element === 'symbol' ? null : element);
      }
      return push(']');
    }
    push('{');
    let first = true;
    const names = Object.keys(item);
    if (options.sortKeys) names.sort();
    for (const name of names) {
      const member = (item as Record<string, unknown>)[name];
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol' || skip?.has(name)) continue;
      if (!first) push(',');
      first = false;
      pushString(name);
      push(':');
      write(member);
    }
    push('}');
  };
  write(value, options.skipTop);
  if (pending.length > 0) each(pending);
}

/** A character JSON.stringify writes otherwise than as itself (quote, backslash, controls, surrogates). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON.stringify escapes exactly U+0000-U+001F, so the test names them.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `text` as it stands between the quotes of its JSON string, in slices of at most `sliceChars`
 * characters of `text` (one more to keep a surrogate pair whole): a slice with nothing to
 * escape as it is, else its escaped form.
 */
export function forEachEscapedSlice(text: string, each: (slice: string) => void, from = 0, to = text.length): number {
  let start = from;
  const stop = Math.min(to, text.length);
  while (start < stop) {
    let end = Math.min(start + sliceChars, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    const slice = text.slice(start, end);
    each(needsEscape.test(slice) ? JSON.stringify(slice).slice(1, -1) : slice);
    start = end;
  }
  return start;
}
