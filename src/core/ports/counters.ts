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

/**
 * What a budget reservation came to. `missing`: the counter does not exist (never seeded, its
 * period ended, or the counter store lost it); nothing was reserved — seed it from the ledger
 * and reserve again, never assume zero.
 */
export type ReserveResult =
  | {
      status: 'reserved';
      /** Spent + held before this call, in the counter's unit. */
      used: number;
      /** Names the hold for `settle` and `extendReservation`; '' for a zero amount, which holds nothing. */
      reservation: string;
    }
  | { status: 'refused'; used: number }
  | { status: 'missing' };

export interface Counters {
  /**
   * Sliding-window take: succeeds when the sum of amounts taken in the last `windowMs`
   * plus `amount` stays within `limit`, and then records it.
   */
  takeFromWindow(name: string, amount: number, limit: number, windowMs: number): Promise<WindowResult>;
  /** Adds a correction (positive or negative) to the current window, e.g. actual tokens vs estimate. */
  adjustWindow(name: string, delta: number, windowMs: number): Promise<void>;
  /**
   * Holds `amount` of a budget if spent + held + amount <= limit. A hold lasts `holdMs` unless
   * settled or extended first: a node that crashed mid-call gives its holds back by then.
   * Expired holds are dropped before the check. A zero amount holds nothing and reports what
   * is used.
   */
  reserve(name: string, amount: number, limit: number, holdMs: number): Promise<ReserveResult>;
  /** Keeps a hold for another `holdMs` from now (a call still running); false when it is gone. */
  extendReservation(name: string, reservation: string, holdMs: number): Promise<boolean>;
  /**
   * Ends a hold (if it has not expired) and adds the amount actually spent. False, changing
   * nothing, when the counter is missing: seed it and settle again.
   */
  settle(name: string, reservation: string, actual: number): Promise<boolean>;
  /**
   * Creates a missing counter with `spent` as its spend and a lifetime of `ttlMs`; holds that
   * outlived the counter (and have not expired) still count. Leaves an existing counter alone.
   */
  seed(name: string, spent: number, ttlMs: number): Promise<void>;
  close?(): Promise<void>;
}
