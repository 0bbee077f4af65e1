import type { Hash } from 'node:crypto';

/** Characters handed to the hash at a time. */
const sliceChars = 32_768;

/**
 * Feeds `canonicalJson(value, skipTop)` to `hash` without building it: the same digest, from
 * pieces of at most ~32 K characters. A string of megabytes is encoded into one fresh buffer of
 * its size, and freshly touched memory is dear on a VM where each page faults (~15 µs per 4 KB
 * here). A slice never ends between the two halves of a surrogate pair, which would encode as
 * two U+FFFD instead of the character. Building the text of a 4 MB request and hashing it held
 * the loop ~40-60 ms per cache key under load (a 4 MB rope flattened, then encoded whole);
 * long strings are escaped a slice at a time, which JSON allows (escaping is per character).
 */
export function updateWithCanonicalJson(hash: Hash, value: unknown, skipTop?: ReadonlySet<string>): Hash {
  let pending = '';
  const push = (piece: string) => {
    pending += piece;
    if (pending.length >= sliceChars) {
      hash.update(pending);
      pending = '';
    }
  };
  const pushString = (text: string) => {
    if (text.length <= sliceChars) return push(JSON.stringify(text));
    push('"');
    hash.update(pending);
    pending = '';
    // Straight to the hash: a slice with nothing to escape as it is, else its escaped form.
    forEachSlice(text, (slice) => hash.update(needsEscape.test(slice) ? JSON.stringify(slice).slice(1, -1) : slice));
    push('"');
  };
  const write = (item: unknown, skip?: ReadonlySet<string>) => {
    if (typeof item === 'string') return pushString(item);
    if (item === null || typeof item !== 'object') return push(JSON.stringify(item) ?? 'null');
    if (Array.isArray(item)) {
      push('[');
      for (let index = 0; index < item.length; index++) {
        if (index > 0) push(',');
        write(item[index]);
      }
      return push(']');
    }
    push('{');
    let first = true;
    for (const name of Object.keys(item).sort()) {
      const member = (item as Record<string, unknown>)[name];
      if (member === undefined || skip?.has(name)) continue;
      if (!first) push(',');
      first = false;
      pushString(name);
      push(':');
      write(member);
    }
    push('}');
  };
  write(value, skipTop);
  if (pending.length > 0) hash.update(pending);
  return hash;
}

/** A character JSON.stringify writes otherwise than as itself (quote, backslash, controls, surrogates). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON.stringify escapes exactly U+0000-U+001F, so the test names them.
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `text` in slices of at most `sliceChars` (one more to keep a surrogate pair whole). */
function forEachSlice(text: string, each: (slice: string) => void): void {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + sliceChars, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    each(text.slice(start, end));
    start = end;
  }
}
