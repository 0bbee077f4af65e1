import { BreakwaterError } from '../../../core/errors/breakwater-error.js';

export interface IdleTimeoutOptions {
  /** Longest silence allowed between two chunks. */
  idleMs: number;
  provider: string;
  /** Releases the upstream (aborts the request, stops the generation); called once, on silence. */
  onIdle(error: BreakwaterError): void;
}

/**
 * Passes a stream's chunks on, and fails it with GATEWAY_UPSTREAM_TIMEOUT when the source
 * stays silent for `idleMs` between two chunks. Without it, an upstream that stalls after its
 * first chunk held the caller's concurrency slot and budget reservation for as long as the
 * connection lived. The wait for the first chunk is the deployment timeout's, and only time
 * spent waiting on the source counts: a client that reads slowly does not trip it.
 */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, options: IdleTimeoutOptions): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let first = true;
  let silent = false;
  try {
    for (;;) {
      const result = first ? await iterator.next() : await nextWithin(iterator, options, () => (silent = true));
      first = false;
      if (result.done) return;
      yield result.value;
    }
  } finally {
    // A stalled source may never settle its pending next(), and return() queues behind it.
    if (silent) void Promise.resolve(iterator.return?.()).catch(() => undefined);
    else await iterator.return?.();
  }
}

function nextWithin<T>(iterator: AsyncIterator<T>, options: IdleTimeoutOptions, onSilence: () => void): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  return new Promise<IteratorResult<T>>((resolve, reject) => {
    const expire = () => {
      if (settled) return;
      onSilence();
      const error = new BreakwaterError(
        'GATEWAY_UPSTREAM_TIMEOUT',
        `Provider ${options.provider} sent nothing for ${options.idleMs} ms in the middle of a stream, so Breakwater cut it off; retry the request. An operator can raise providers.${options.provider}.streamIdleTimeoutMs if its model pauses longer.`,
        { details: { provider: options.provider, streamIdleTimeoutMs: options.idleMs } },
      );
      reject(error);
      options.onIdle(error);
    };
    // After an event-loop stall, timers run before the I/O that queued meanwhile: look at that
    // I/O (setImmediate runs after the poll phase) before calling the source silent.
    timer = setTimeout(() => setImmediate(expire), options.idleMs);
    // A rejection after the timeout (the aborted source) settles nothing: the promise is already rejected.
    iterator.next().then(
      (result) => {
        settled = true;
        resolve(result);
      },
      (error: unknown) => {
        settled = true;
        reject(error);
      },
    );
  }).finally(() => clearTimeout(timer));
}
