/**
 * A sliding window kept as a ring of fixed-width time buckets in typed arrays: memory is
 * bounded by the bucket count whatever the request rate, and nothing per request reaches the
 * garbage collector (a log of `[timestamp, amount]` pairs held ~100k live arrays at 2k RPS,
 * and every young-generation collection had to walk them).
 *
 * A take counts until its whole bucket is older than the window, so it is never forgotten
 * before `windowMs` has passed (at most one bucket width later): the limit holds exactly for
 * every window, and a refusal's retry time is at most one bucket late.
 */
export const BUCKETS_PER_WINDOW = 600;

export class BucketedWindow {
  private starts = new Float64Array(8);
  private amounts = new Float64Array(8);
  private head = 0;
  private length = 0;
  total = 0;

  constructor(readonly bucketMs: number) {}

  static forWindow(windowMs: number): BucketedWindow {
    return new BucketedWindow(Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW)));
  }

  /** Forgets buckets that ended at or before `cutoff` (= now − windowMs). */
  expire(cutoff: number): void {
    while (this.length > 0 && this.starts[this.head]! + this.bucketMs <= cutoff) {
      this.total -= this.amounts[this.head]!;
      this.head = (this.head + 1) % this.starts.length;
      this.length--;
    }
    if (this.length === 0) this.total = 0;
  }

  add(now: number, amount: number): void {
    const start = now - (now % this.bucketMs);
    this.total += amount;
    if (this.length > 0) {
      const last = (this.head + this.length - 1) % this.starts.length;
      if (this.starts[last]! >= start) {
        this.amounts[last]! += amount;
        return;
      }
    }
    if (this.length === this.starts.length) this.grow();
    const slot = (this.head + this.length) % this.starts.length;
    this.starts[slot] = start;
    this.amounts[slot] = amount;
    this.length++;
  }

  /** When at least `excess` of the window will have expired, walking from the oldest bucket. */
  expiryCovering(excess: number, windowMs: number, now: number): number {
    let remaining = excess;
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.starts.length;
      remaining -= this.amounts[slot]!;
      if (remaining <= 0) return this.starts[slot]! + this.bucketMs + windowMs;
    }
    return now + windowMs;
  }

  /** The start of the newest bucket, or -Infinity when empty. */
  newest(): number {
    return this.length === 0 ? -Infinity : this.starts[(this.head + this.length - 1) % this.starts.length]!;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Float64Array(size);
    const amounts = new Float64Array(size);
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.starts.length;
      starts[i] = this.starts[slot]!;
      amounts[i] = this.amounts[slot]!;
    }
    this.starts = starts;
    this.amounts = amounts;
    this.head = 0;
  }
}
