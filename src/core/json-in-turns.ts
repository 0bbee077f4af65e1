import type { Hash } from 'node:crypto';
import { forEachEscapedSlice, forEachJsonPiece, updateWithCanonicalJson, type JsonPieceOptions } from './hash-text.js';
import { nextTurn } from './turns.js';

/** Values with more text than this are encoded a piece at a time, in turns of their own. */
export const largeJsonChars = 512 * 1024;
/** Characters of JSON text made per turn. */
const charsPerTurn = 256 * 1024;

/**
 * Whether `JSON.stringify(value)` would be large: its strings (keys included) add up to more
 * than `limit` characters. Stops as soon as they do, so a small value costs a short walk.
 */
export function isLargeJson(value: unknown, limit = largeJsonChars): boolean {
  // A stack rather than recursion: this runs on every upstream call and cache key.
  const stack: unknown[] = [value];
  let left = limit;
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === 'string') {
      if ((left -= item.length) < 0) return true;
    } else if (Array.isArray(item)) {
      for (let index = 0; index < item.length; index++) stack.push(item[index]);
    } else if (item !== null && typeof item === 'object') {
      const names = Object.keys(item);
      for (let index = 0; index < names.length; index++) {
        left -= names[index]!.length;
        stack.push((item as Record<string, unknown>)[names[index]!]);
      }
    }
  }
  return left < 0;
}

/**
 * `JSON.stringify(value)` as slices of ~¼ M characters, each made after a turn of its own
 * (core/turns.ts), for values of megabytes: stringifying a 4 MB prompt and encoding it into one
 * fresh buffer held the event loop ~60-150 ms under load (each freshly touched page faults on
 * this VM). The walk over the value's structure happens once, up front; its long strings are
 * escaped later, a slice at a time. The value must not change until the last slice is read.
 * With `sortKeys` it is the canonical JSON `updateWithCanonicalJson` hashes.
 */
export async function* jsonTextInTurns(value: unknown, options: Omit<JsonPieceOptions, 'longString'> = {}): AsyncGenerator<string> {
  const parts: Array<string | { long: string }> = [];
  forEachJsonPiece(value, (piece) => parts.push(piece), { ...options, longString: (text) => parts.push({ long: text }) });
  let pending: string[] = [];
  let chars = 0;
  const take = (slice: string) => {
    pending.push(slice);
    chars += slice.length;
  };
  async function* flush(): AsyncGenerator<string> {
    await nextTurn();
    const text = pending.join('');
    pending = [];
    chars = 0;
    yield text;
  }
  for (const part of parts) {
    if (typeof part === 'string') take(part);
    else
      for (let from = 0; from < part.long.length; ) {
        // One slice (~32 K characters) at a time: escaping can make one six times longer (\u0000).
        from = forEachEscapedSlice(part.long, take, from, from + 1);
        if (chars >= charsPerTurn) yield* flush();
      }
    if (chars >= charsPerTurn) yield* flush();
  }
  if (chars > 0) yield* flush();
}

/** `JSON.stringify(value)` as UTF-8: one buffer for an ordinary value, chunks made in turns of their own for a large one. */
export async function jsonBytes(value: unknown): Promise<Uint8Array[]> {
  if (!isLargeJson(value)) return [Buffer.from(JSON.stringify(value))];
  const chunks: Uint8Array[] = [];
  for await (const text of jsonTextInTurns(value)) chunks.push(Buffer.from(text));
  return chunks;
}

/** `updateWithCanonicalJson(hash, value, skipTop)`, the same digest, in turns of their own when the value is large. */
export async function updateWithCanonicalJsonInTurns(hash: Hash, value: unknown, skipTop?: ReadonlySet<string>): Promise<Hash> {
  if (!isLargeJson(value)) return updateWithCanonicalJson(hash, value, skipTop);
  for await (const text of jsonTextInTurns(value, { sortKeys: true, ...(skipTop ? { skipTop } : {}) })) hash.update(text);
  return hash;
}
