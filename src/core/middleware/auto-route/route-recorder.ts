import type { FeedbackStore, RouteObservation } from '../../ports/feedback-store.js';

export interface RouteRecorderOptions {
  store: FeedbackStore;
  flushIntervalMs: number;
  /** Observations held while the store refuses them; beyond this the oldest are dropped. */
  maxBuffered: number;
  onError: (error: unknown) => void;
}

/** Rows per store write. */
const batchRows = 200;

/**
 * Buffers the router's observations (request id, tenant, tier, vector) and writes them in
 * batches off the request path. They only serve later feedback, so a write that fails is
 * retried at the next flush and, past `maxBuffered`, the oldest are dropped: a lost
 * observation costs one rating its training row, never a request. `flush()` before a lookup
 * (the feedback route) and on shutdown.
 */
export class RouteRecorder {
  private buffer: RouteObservation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: RouteRecorderOptions) {}

  add(observation: RouteObservation): void {
    this.buffer.push(observation);
    if (this.buffer.length > this.options.maxBuffered) this.buffer.splice(0, this.buffer.length - this.options.maxBuffered);
    if (this.buffer.length >= batchRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Writes what is buffered; resolves when done or failed (the rows are kept), never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.slice(0, batchRows);
        try {
          await this.options.store.recordRoutes(batch);
        } catch (error) {
          this.options.onError(error);
          this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
          return;
        }
        // Rows added meanwhile sit after the batch; drops only trim the front, so find the batch's end by identity.
        const end = this.buffer.indexOf(batch[batch.length - 1]!);
        this.buffer.splice(0, end + 1);
      }
    });
    return this.flushing;
  }
}
