import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Counters, ReserveResult, WindowResult } from '../../../core/ports/counters.js';
import { extendScript, reserveScript, seedScript, settleScript } from './budget-scripts.js';
import { windowScript } from './window-script.js';

export interface RedisCountersOptions {
  /** A connected client; the composition root owns it (and quits it) — it may be shared. */
  redis: Redis;
  /** Put before every key, e.g. `bw:counters:`. */
  prefix: string;
}

/**
 * Counters shared by every API node of the scaled-out shape. Each check-and-take is one Lua
 * script, which Redis runs atomically, on the server's clock: limits are exact across any
 * number of nodes and connections, and nodes with skewed clocks agree on every window.
 *
 * Keys: a window is `<prefix>window:{<name>}:amounts` (hash) and `…:starts` (list), both
 * expiring a window plus one bucket after the last take; a budget is `<prefix>budget:{<name>}`
 * (hash: spent, held) and `…:holds` (sorted set). The two keys of a window or a budget share
 * the `{name}` hash tag, so they stay in one slot on a Cluster.
 */
export class RedisCounters implements Counters {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisCountersOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix;
  }

  async takeFromWindow(name: string, amount: number, limit: number, windowMs: number): Promise<WindowResult> {
    const [ok, retryAfterMs] = pair(await windowScript.run(this.redis, this.windowKeys(name), [String(amount), String(limit), wholeMs(windowMs), '0']));
    return ok === 1 ? { ok: true, retryAfterMs: 0 } : { ok: false, retryAfterMs: Math.max(1, Number(retryAfterMs)) };
  }

  async adjustWindow(name: string, delta: number, windowMs: number): Promise<void> {
    if (delta === 0) return;
    await windowScript.run(this.redis, this.windowKeys(name), [String(delta), '0', wholeMs(windowMs), '1']);
  }

  async reserve(name: string, amount: number, limit: number, holdMs: number): Promise<ReserveResult> {
    const reply = await reserveScript.run(this.redis, this.budgetKeys(name), [String(amount), String(limit), wholeMs(holdMs), randomUUID()]);
    if (!Array.isArray(reply) || reply.length < 2) throw new Error(`Unexpected counter script reply: ${JSON.stringify(reply)}`);
    const [status, used, reservation] = reply as [number, string, string | undefined];
    if (status === -1) return { status: 'missing' };
    if (status === 0) return { status: 'refused', used: Number(used) };
    return { status: 'reserved', used: Number(used), reservation: reservation ?? '' };
  }

  async extendReservation(name: string, reservation: string, holdMs: number): Promise<boolean> {
    if (reservation === '') return false;
    return (await extendScript.run(this.redis, [this.budgetKeys(name)[1]!], [reservation, wholeMs(holdMs)])) === 1;
  }

  async settle(name: string, reservation: string, actual: number): Promise<boolean> {
    return (await settleScript.run(this.redis, this.budgetKeys(name), [reservation, String(actual)])) === 1;
  }

  async seed(name: string, spent: number, ttlMs: number): Promise<void> {
    await seedScript.run(this.redis, this.budgetKeys(name), [String(spent), wholeMs(ttlMs)]);
  }

  private windowKeys(name: string): string[] {
    const base = `${this.prefix}window:{${name}}`;
    return [`${base}:amounts`, `${base}:starts`];
  }

  private budgetKeys(name: string): [string, string] {
    const base = `${this.prefix}budget:{${name}}`;
    return [base, `${base}:holds`];
  }
}

/** Redis takes only whole, positive milliseconds for expiries. */
function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

function pair(reply: unknown): [unknown, unknown] {
  if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`Unexpected counter script reply: ${JSON.stringify(reply)}`);
  return [reply[0], reply[1]];
}
