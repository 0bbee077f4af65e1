import type Database from 'better-sqlite3';

interface Pending {
  work: () => unknown;
  /** Bytes the write carries (a job's input); 0 for row updates. */
  bytes: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Set inside the transaction, acted on after its commit. */
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** Thrown inside the fast path to roll the whole batch back when one write failed. */
const retryWithSavepoints = Symbol('retry with savepoints');

/**
 * Group commit for the embedded store: writes requested in the same turn of the event loop
 * run in one SQLite transaction, and every promise settles only after the commit. A commit
 * costs about as much as a dozen row writes, so batching is what lets one SQLite file carry
 * thousands of job transitions a second without giving up durability of an acknowledged write.
 *
 * Each write must stand alone: one that throws rolls back alone and rejects alone. The batch
 * first runs without savepoints (they cost two statements per write); if any write throws,
 * the whole transaction is rolled back and the batch runs again with a savepoint per write.
 * Writes are closures over their arguments, so running one again after a rollback is the
 * same as running it once.
 *
 * A batch also stops at `maxBatchBytes` of carried data (at least one write each), and the rest
 * waits for a turn of its own: SQLite copies a blob on the event loop, and four 4 MB job inputs
 * submitted together were written in one ~95 ms transaction while every request waited.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private scheduled = false;
  /** Batches committed so far: a read cached while this is unchanged saw every local write. */
  commits = 0;
  private readonly fastBatch: (batch: Pending[]) => void;
  private readonly safeBatch: (batch: Pending[]) => void;

  constructor(
    database: Database.Database,
    private readonly maxBatch = 512,
    private readonly maxBatchBytes = 1024 * 1024,
  ) {
    // One wrapper for every savepoint: better-sqlite3 builds a new one per transaction() call.
    const inSavepoint = database.transaction((work: () => unknown) => work());
    this.fastBatch = database.transaction((batch: Pending[]) => {
      for (const item of batch) {
        try {
          item.outcome = { ok: true, value: item.work() };
        } catch {
          throw retryWithSavepoints;
        }
      }
    });
    this.safeBatch = database.transaction((batch: Pending[]) => {
      for (const item of batch) {
        try {
          item.outcome = { ok: true, value: inSavepoint(item.work) };
        } catch (error) {
          item.outcome = { ok: false, error };
        }
      }
    });
  }

  run<T>(work: () => T, bytes = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, bytes, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs what is pending now, all of it when `all` (on close), else up to `maxBatchBytes` of carried data. */
  flush(all = false): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.batchLength(all));
      try {
        try {
          this.fastBatch(batch);
        } catch (error) {
          if (error !== retryWithSavepoints) throw error;
          this.safeBatch(batch);
        }
        this.commits++;
      } catch (error) {
        // The commit itself failed (disk full, database closed): nothing in the batch landed.
        for (const item of batch) item.reject(error);
        continue;
      }
      for (const item of batch) {
        if (item.outcome?.ok) item.resolve(item.outcome.value);
        else item.reject(item.outcome?.error);
      }
      if (!all && this.pending.length > 0) {
        this.scheduled = true;
        setImmediate(() => this.flush());
        return;
      }
    }
  }

  /** How many pending writes the next batch takes: up to maxBatch, and no more than maxBatchBytes of data unless `all`. */
  private batchLength(all: boolean): number {
    const limit = Math.min(this.maxBatch, this.pending.length);
    if (all) return limit;
    let bytes = 0;
    for (let index = 0; index < limit; index++) {
      bytes += this.pending[index]!.bytes;
      if (bytes >= this.maxBatchBytes) return index + 1;
    }
    return limit;
  }
}
