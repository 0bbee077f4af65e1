import type { Counters, ReserveResult, WindowResult } from '../../../core/ports/counters.js';
import { BucketedWindow } from './bucketed-window.js';
import { MemoryBudgets } from './memory-budgets.js';

/**
 * In-process counters for the embedded shape. Each check-and-take runs in one turn of the
 * event loop, so it is atomic: limits are exact for any number of concurrent requests in
 * this process. (Several processes need the Redis adapter.)
 */
export class MemoryCounters implements Counters {
  private readonly windows = new Map<string, BucketedWindow>();
  private readonly budgets = new MemoryBudgets();
  private sweeps = 0;

  async takeFromWindow(name: string, amount: number, limit: number, windowMs: number): Promise<WindowResult> {
    const now = Date.now();
    const window = this.windowOf(name, now - windowMs, windowMs);
    if (window.total + amount > limit) {
      // Enough must expire that the rest plus `amount` fits.
      const retryAt = window.expiryCovering(window.total + amount - limit, windowMs, now);
      return { ok: false, retryAfterMs: Math.max(1, retryAt - now) };
    }
    window.add(now, amount);
    this.maybeSweep(now, windowMs);
    return { ok: true, retryAfterMs: 0 };
  }

  async adjustWindow(name: string, delta: number, windowMs: number): Promise<void> {
    if (delta === 0) return;
    const now = Date.now();
    this.windowOf(name, now - windowMs, windowMs).add(now, delta);
  }

  async reserve(name: string, amount: number, limit: number, holdMs: number): Promise<ReserveResult> {
    return this.budgets.reserve(name, amount, limit, holdMs);
  }

  async extendReservation(name: string, reservation: string, holdMs: number): Promise<boolean> {
    return this.budgets.extend(name, reservation, holdMs);
  }

  async settle(name: string, reservation: string, actual: number): Promise<boolean> {
    return this.budgets.settle(name, reservation, actual);
  }

  async seed(name: string, spent: number, ttlMs: number): Promise<void> {
    this.budgets.seed(name, spent, ttlMs);
  }

  private windowOf(name: string, cutoff: number, windowMs: number): BucketedWindow {
    let window = this.windows.get(name);
    if (!window) {
      window = BucketedWindow.forWindow(windowMs);
      this.windows.set(name, window);
    }
    window.expire(cutoff);
    return window;
  }

  /** Drops idle windows now and then so memory stays bounded by active keys. */
  private maybeSweep(now: number, windowMs: number): void {
    if (++this.sweeps % 10_000 !== 0) return;
    for (const [name, window] of this.windows) {
      if (window.newest() + window.bucketMs <= now - windowMs) this.windows.delete(name);
    }
  }
}
