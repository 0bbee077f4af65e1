import type { DispatchOutbox } from '../ports/dispatch-outbox.js';
import type { JobQueue } from '../ports/queue.js';

export interface OutboxRelayOptions {
  outbox: DispatchOutbox;
  queue: JobQueue;
  /** Dispatches claimed and published per round. */
  batch: number;
  /** How long a claimed dispatch is this relay's before another may take it. */
  leaseMs: number;
  /** How often an idle relay looks for dispatches written by other nodes. */
  pollMs: number;
  onError: (error: unknown, context: string) => void;
}

/**
 * Moves job dispatches from the store's outbox to the broker: claim → publish (resolves only
 * after the broker confirmed) → mark sent. A crash between publish and mark leaves the
 * dispatch to be published again after its lease: at least once, and workers drop the
 * duplicate by job id and fencing token. Woken at once by submissions on this node; polls
 * for the rest.
 */
export class OutboxRelay {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pending = false;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** A job was just written on this node: relay it now rather than at the next poll. */
  wake(): void {
    this.pending = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { outbox, queue, batch, leaseMs, pollMs } = this.options;
    let failures = 0;
    while (!this.stopped) {
      this.pending = false;
      let relayed = 0;
      try {
        const dispatches = await outbox.claim(batch, leaseMs);
        if (dispatches.length > 0) {
          await queue.enqueue(dispatches);
          await outbox.markDispatched(dispatches.map((dispatch) => dispatch.id));
        }
        relayed = dispatches.length;
        failures = 0;
      } catch (error) {
        failures++;
        this.options.onError(error, 'relaying job dispatches to the queue');
      }
      if (relayed === batch && failures === 0) continue;
      if (this.pending && failures === 0) continue;
      const waitMs = failures > 0 ? Math.min(pollMs * 2 ** failures, 30_000) : pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
