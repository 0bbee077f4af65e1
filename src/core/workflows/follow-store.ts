/**
 * What an SSE follower of a run's journal or of a tenant's approvals reads: items numbered by
 * `seq`, always from the store. The bus only says that something was written (it may not
 * reach this process at all, as with a worker elsewhere on an embedded file), so between
 * reads the follower waits for news or `pollMs`, whichever comes first; a reconnecting client
 * that names its last seq misses nothing.
 */
export async function* followStore<T extends { seq: number }>(options: {
  afterSeq: number;
  /** Calls `onNews` when something may have been written; returns the unsubscribe. */
  subscribe(onNews: () => void): () => void;
  /** Items after `after`, oldest first, at most `limit`. */
  read(after: number, limit: number): Promise<T[]>;
  /** Whether nothing more will come after `last` (a run that ended); never, when absent. */
  ended?(last: number): Promise<boolean>;
  signal: AbortSignal;
  pollMs: number;
}): AsyncGenerator<T> {
  const batch = 500;
  const { signal } = options;
  let wake: (() => void) | undefined;
  let news = false;
  const unsubscribe = options.subscribe(() => {
    news = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    let last = options.afterSeq;
    while (!signal.aborted) {
      news = false;
      const items = await options.read(last, batch);
      for (const item of items) {
        last = item.seq;
        yield item;
      }
      if (items.length === batch) continue;
      if (options.ended && (await options.ended(last))) return;
      if (news) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
