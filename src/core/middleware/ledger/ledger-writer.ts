import type { LedgerStore, UsageRow } from '../../ports/store.js';

/**
 * Buffers ledger rows and writes them in one transaction every `flushIntervalMs` (or at
 * 500 rows), keeping the store write off the request path. `flush()` on shutdown.
 */
export class LedgerWriter {
  private buffer: UsageRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly ledger: LedgerStore,
    private readonly flushIntervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(row: UsageRow): void {
    this.buffer.push(row);
    if (this.buffer.length >= 500) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushIntervalMs).unref();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.buffer;
    if (rows.length === 0) return this.flushing;
    this.buffer = [];
    this.flushing = this.flushing.then(() => this.ledger.appendUsage(rows)).catch(this.onError);
    return this.flushing;
  }
}
