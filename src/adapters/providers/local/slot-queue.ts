import { BreakwaterError } from '../../../core/errors/breakwater-error.js';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A counting semaphore with a bounded wait line: `slots` holders at once, `maxQueue` waiting,
 * and anyone beyond that is refused with SERVER_OVERLOADED instead of piling up behind a
 * model that serves a few requests at a time.
 */
export class SlotQueue {
  private active = 0;
  private readonly waiters: Waiter[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly slots: number,
    private readonly maxQueue: number,
    private readonly describe: string,
    /** Called when the last holder leaves and nobody waits. */
    private readonly onIdle: () => void,
    /** Called when a slot is taken after an idle period. */
    private readonly onBusy: () => void,
  ) {}

  get busy(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves once no slot is held (at once when none is). */
  whenIdle(): Promise<void> {
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.onBusy();
    if (this.active < this.slots) {
      this.active++;
      return;
    }
    if (this.waiters.length >= this.maxQueue) {
      throw new BreakwaterError(
        'SERVER_OVERLOADED',
        `${this.describe} is busy: ${this.slots} requests running and ${this.maxQueue} waiting; retry shortly, or raise its sequences / maxQueue.`,
        { retryAfterSeconds: 1, details: { slots: this.slots, maxQueue: this.maxQueue } },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) return next.resolve(); // the slot passes straight to the next waiter
    this.active--;
    if (this.active > 0) return;
    this.onIdle();
    const idle = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of idle) resolve();
  }
}
