/**
 * Deterministic randomness for bench:structured. Every draw is seeded from (run seed,
 * document, attempt), not from a shared stream, so the same document gets the same answers
 * whatever order 32 concurrent requests reach the server in.
 */
export type Random = () => number;

/** mulberry32: small, fast, good enough to spread answer kinds evenly. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function randomFor(...parts: number[]): Random {
  let hash = 0x811c9dc5;
  for (const part of parts) hash = Math.imul(hash ^ part, 0x01000193) >>> 0;
  return mulberry32(hash);
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
