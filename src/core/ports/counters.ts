/**
 * Counters for rate limits and budget reservations. Every check-and-take is atomic in the
 * adapter (a single JS turn in-process, a script in Redis), so limits stay exact under any
 * concurrency.
 */
export interface WindowResult {
  ok: boolean;
  /** When refused: milliseconds until enough of the window has expired. */
  retryAfterMs: number;
}

export interface ReserveResult {
  ok: boolean;
  /** Spent + reserved before this call, in the counter's unit. */
  used: number;
}

export interface Counters {
  /**
   * Sliding-window take: succeeds when the sum of amounts taken in the last `windowMs`
   * plus `amount` stays within `limit`, and then records it.
   */
  takeFromWindow(name: string, amount: number, limit: number, windowMs: number): Promise<WindowResult>;
  /** Adds a correction (positive or negative) to the current window, e.g. actual tokens vs estimate. */
  adjustWindow(name: string, delta: number, windowMs: number): Promise<void>;
  /** Reserves `amount` if used + amount <= limit. */
  reserve(name: string, amount: number, limit: number, ttlMs: number): Promise<ReserveResult>;
  /** Replaces a reservation by the actual amount spent. */
  settle(name: string, reserved: number, actual: number, ttlMs: number): Promise<void>;
  /** Sets the starting spend of a counter if it has none yet (after a restart). */
  seed(name: string, value: number, ttlMs: number): Promise<void>;
  close?(): Promise<void>;
}
