import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../../core/module-worker.js';
import type { JsonParseAnswer, JsonParseJob, JsonParseOutcome } from './json-text.js';

/**
 * Parses request bodies in a worker thread, so a body of megabytes costs that thread's time,
 * not the event loop's: reading 16 MB of JSON held the loop ~225 ms (decode, shape scan,
 * parse), longer than any request should hold every other one. The body goes over as the chunks
 * it arrived in, moved rather than copied: joining 17 MB held the loop 60-260 ms on a VM where
 * each freshly touched page of memory costs ~15 µs (a page fault), so the join happens there
 * too. The parsed value comes back by
 * structured clone, whose cost on the loop is a few milliseconds even for 140,000 messages.
 * One thread per process, started on first use and idle without holding the process open;
 * jobs are answered in order. The shape check and the body limit bound each job's time.
 */
export class JsonParseThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, (outcome: JsonParseOutcome) => void>();
  private nextId = 0;

  parse(chunks: Uint8Array[], maxStringBytes?: number): Promise<JsonParseOutcome> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      worker.ref();
      // A chunk that owns its whole memory (as Node's HTTP parser hands them out) moves to the
      // thread; a slice of a shared buffer is copied.
      const transfer = new Set<ArrayBuffer>();
      for (const chunk of chunks) {
        if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer) transfer.add(chunk.buffer);
      }
      worker.postMessage({ id, chunks, ...(maxStringBytes === undefined ? {} : { maxStringBytes }) } satisfies JsonParseJob, [...transfer]);
    });
  }

  close(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failPending('the server is shutting down');
    void worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnModuleWorker(import.meta.url, './json-parse-worker');
    worker.on('message', (answer: JsonParseAnswer) => {
      const resolve = this.pending.get(answer.id);
      if (!resolve) return;
      this.pending.delete(answer.id);
      if (this.pending.size === 0) worker.unref();
      const { id: _id, ...outcome } = answer;
      resolve(outcome);
    });
    // A thread that dies (out of memory on a hostile body) fails its jobs; the next body starts a new one.
    const lost = () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failPending('the body parser stopped; send the request again');
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failPending(reason: string): void {
    for (const [id, resolve] of this.pending) {
      this.pending.delete(id);
      resolve({ ok: false, syntax: reason });
    }
  }
}
