import { createRequire } from 'node:module';

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base');

/**
 * The o200k rank table costs ~43 MB of RSS and ~20 MB of live heap, so it is loaded at the
 * first exact count, not at start: a node whose calls all come back with `usage`, none
 * abandoned (a timeout or a client leaving mid-call charges the prompt's count), and that holds
 * no budget or token limit never needs it. Loading holds one turn for 0.4-1 s (the first count
 * pays it, or `TokenCounter.warmUp()` ahead of traffic).
 */
let tokenizer: Tokenizer | undefined;

export function loadTokenizer(): Tokenizer {
  tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as Tokenizer;
  return tokenizer;
}

/** True once the rank table is in memory. */
export function tokenizerLoaded(): boolean {
  return tokenizer !== undefined;
}

function countTokens(text: string, options: typeof asText): number {
  return (tokenizer ?? loadTokenizer()).countTokens(text, options);
}

/**
 * gpt-tokenizer's o200k pre-tokenizer (its `O200K_TOKEN_SPLIT_PATTERN`, the same as
 * tiktoken's): text is cut into pieces first and each piece is byte-pair merged on its own.
 * The merge is quadratic in the length of a piece, and a run of one letter, of spaces, of
 * punctuation or of emoji is one piece however long: 64 KB of spaces took 1.4 s, 1 MB of
 * "a" over 10 minutes.
 */
const contraction = String.raw`(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?`;
const splitPattern = new RegExp(
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+${contraction}|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*${contraction}|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  'gu',
);

/**
 * Pieces longer than this are merged in slices of this many code units. Real words are
 * shorter (the longest o200k tokens are ~40 characters, and they rarely sit at a slice edge),
 * so only runs are cut; a cut costs at most a token or two per slice, counted high, not low.
 */
export const maxPiece = 64;

/** Any piece that could be longer than `maxPiece`: cheap to rule out, so normal text takes the library's path alone. */
const possiblyLongPiece = new RegExp(String.raw`[^\s\p{N}]{${maxPiece + 1},}|\s{${maxPiece + 1},}`, 'u');

/**
 * Special-token text in a message ("<|endoftext|>") is text like any other, as the provider
 * sees it; the library's default would throw on it.
 */
const asText = { disallowedSpecial: new Set<string>() };

/**
 * The o200k token count of `text`, with long pieces merged slice by slice: exact for text
 * without such runs, a token or two high per slice for runs, and linear in the length of the
 * text either way (about 0.5-2.5 µs per code unit of random text, the slowest kind).
 */
export function countExactly(text: string): number {
  if (text.length === 0) return 0;
  if (!possiblyLongPiece.test(text)) return countTokens(text, asText);
  let total = 0;
  let from = 0;
  for (const match of text.matchAll(splitPattern)) {
    const piece = match[0];
    if (piece.length <= maxPiece) continue;
    if (match.index > from) total += countTokens(text.slice(from, match.index), asText);
    total += countSliced(piece);
    from = match.index + piece.length;
  }
  if (from < text.length) total += countTokens(text.slice(from), asText);
  return total;
}

function countSliced(piece: string): number {
  let total = 0;
  for (let start = 0; start < piece.length; ) {
    let end = Math.min(piece.length, start + maxPiece);
    // Never split a surrogate pair: half an emoji is not text the tokenizer can see.
    if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end--;
    total += countTokens(piece.slice(start, end), asText);
    start = end;
  }
  return total;
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
