import type { ReserveResult } from '../../../core/ports/counters.js';

interface Hold {
  amount: number;
  expiresAt: number;
}

/**
 * The holds of one budget, apart from its spend so that they outlive it (as the Redis adapter
 * keeps them in a key of their own): a call in flight when the counter expires still counts.
 */
class Holds {
  readonly entries = new Map<string, Hold>();
  held = 0;
  /** The earliest expiry among the entries, so most calls skip the sweep. */
  private soonest = Number.POSITIVE_INFINITY;

  add(reservation: string, hold: Hold): void {
    this.entries.set(reservation, hold);
    this.held += hold.amount;
    this.soonest = Math.min(this.soonest, hold.expiresAt);
  }

  remove(reservation: string): void {
    const hold = this.entries.get(reservation);
    if (!hold) return;
    this.entries.delete(reservation);
    this.held = this.entries.size === 0 ? 0 : this.held - hold.amount;
  }

  extend(reservation: string, expiresAt: number): boolean {
    const hold = this.entries.get(reservation);
    if (!hold) return false;
    hold.expiresAt = Math.max(hold.expiresAt, expiresAt);
    return true;
  }

  /** Drops holds whose time has come (expiry <= now, as the Redis script does). */
  sweep(now: number): void {
    if (this.soonest > now) return;
    this.soonest = Number.POSITIVE_INFINITY;
    for (const [reservation, hold] of this.entries) {
      if (hold.expiresAt <= now) this.remove(reservation);
      else this.soonest = Math.min(this.soonest, hold.expiresAt);
    }
  }
}

/**
 * Budget counters of the embedded adapter: each budget is its spend plus its holds, each
 * hold with its own expiry. All on the process clock.
 */
export class MemoryBudgets {
  private readonly spends = new Map<string, { spent: number; expiresAt: number }>();
  private readonly holds = new Map<string, Holds>();
  private sequence = 0;

  reserve(name: string, amount: number, limit: number, holdMs: number): ReserveResult {
    const now = Date.now();
    const spend = this.spendOf(name, now);
    if (!spend) return { status: 'missing' };
    const holds = this.holdsOf(name);
    holds.sweep(now);
    const used = spend.spent + holds.held;
    // The same tolerance as the Redis script, so a limit reached by decimal steps still fits.
    if (used + amount > limit + 1e-12) return { status: 'refused', used };
    if (amount === 0) return { status: 'reserved', used, reservation: '' };
    const reservation = `${amount}:${++this.sequence}`;
    holds.add(reservation, { amount, expiresAt: now + holdMs });
    return { status: 'reserved', used, reservation };
  }

  extend(name: string, reservation: string, holdMs: number): boolean {
    return this.holds.get(name)?.extend(reservation, Date.now() + holdMs) ?? false;
  }

  settle(name: string, reservation: string, actual: number): boolean {
    const spend = this.spendOf(name, Date.now());
    if (!spend) return false;
    if (reservation !== '') this.holds.get(name)?.remove(reservation);
    spend.spent += actual;
    return true;
  }

  seed(name: string, spent: number, ttlMs: number): void {
    const now = Date.now();
    if (this.spendOf(name, now)) return;
    this.spends.set(name, { spent, expiresAt: now + ttlMs });
  }

  private spendOf(name: string, now: number): { spent: number; expiresAt: number } | undefined {
    const spend = this.spends.get(name);
    if (spend && spend.expiresAt <= now) {
      this.spends.delete(name);
      const holds = this.holds.get(name);
      holds?.sweep(now);
      if (holds?.entries.size === 0) this.holds.delete(name);
      return undefined;
    }
    return spend;
  }

  private holdsOf(name: string): Holds {
    let holds = this.holds.get(name);
    if (!holds) {
      holds = new Holds();
      this.holds.set(name, holds);
    }
    return holds;
  }
}
