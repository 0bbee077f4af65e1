/**
 * Exponential backoff with "equal jitter" (AWS architecture blog): random in [c/2, c] where
 * c = min(max, base·2^n), so retries spread out but never fire immediately.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
