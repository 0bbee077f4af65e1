import { PartialLedgerWrite, type LedgerStore, type UsageRow } from '../../ports/store.js';
import { backoffDelay } from '../../routing/backoff.js';

/** Rows per store write: a flush after an outage writes its backlog in writes of this size. */
const batchRows = 500;
const retryMaxMs = 30_000;

export interface LedgerWriterOptions {
  ledger: LedgerStore;
  flushIntervalMs: number;
  /** Rows held while the store refuses them; beyond this the oldest are dropped. */
  maxBufferedRows: number;
  /** A flush failed (its rows are kept and retried). */
  onError: (error: unknown) => void;
  /** Rows dropped because the buffer was full; `firstOfBurst` is true once per run of drops. */
  onDrop: (rows: number, firstOfBurst: boolean) => void;
}

/**
 * Buffers ledger rows and writes them every `flushIntervalMs` (or at 500 rows), keeping the
 * store write off the request path. A failed write keeps its rows and is retried with
 * backoff; the ledger is what spend is audited and budgets re-seeded from, so a row is
 * dropped only when the buffer is full, oldest first, and counted. `flush()` on shutdown.
 */
export class LedgerWriter {
  private buffer: UsageRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private queued = false;
  private failures = 0;
  private dropping = false;

  constructor(private readonly options: LedgerWriterOptions) {}

  /** Rows waiting to be written (for shutdown logs and tests). */
  get pending(): number {
    return this.buffer.length;
  }

  add(row: UsageRow): void {
    this.buffer.push(row);
    this.bound();
    // While the store fails, only the retry timer writes: each row must not knock again.
    if (this.failures > 0) return;
    if (this.buffer.length >= batchRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs).unref();
  }

  /** Writes every buffered row now (a pending retry included); resolves when done or failed, never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queued) return this.flushing;
    this.queued = true;
    this.flushing = this.flushing.then(() => {
      this.queued = false;
      return this.write();
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    while (this.buffer.length > 0) {
      const rows = this.buffer.splice(0, batchRows);
      try {
        await this.options.ledger.appendUsage(rows);
      } catch (error) {
        // Back at the front (they are older than anything added meanwhile), less any the store already holds.
        this.buffer.unshift(...(error instanceof PartialLedgerWrite ? rows.slice(error.written) : rows));
        this.bound();
        this.failures++;
        this.options.onError(error);
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.flush(), backoffDelay(this.failures - 1, this.options.flushIntervalMs, retryMaxMs)).unref();
        return;
      }
      this.failures = 0;
      this.dropping = false;
    }
  }

  private bound(): void {
    const excess = this.buffer.length - this.options.maxBufferedRows;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.options.onDrop(excess, !this.dropping);
    this.dropping = true;
  }
}
