import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../module-worker.js';
import type { NlpAnswer, NlpJob } from './detectors/nlp-worker.js';
import type { Detection } from './pii-type.js';

/**
 * Characters of one request the NLP tagger reads, from the start: at ~20 µs per character
 * (up to ~270 on hostile shapes) 32 K is 0.6-9 s of the tagger's thread. Names past it are
 * found by the rules alone (docs/governance.md#pii).
 */
export const nlpMaxChars = 32_768;

/** A request whose tagging has not finished by then (from the thread being ready) is scrubbed by the rules alone. */
export const nlpTimeoutMs = 2_000;
/** A thread that has not loaded the tagger by then is ended; its requests get no NLP names. */
const nlpStartTimeoutMs = 30_000;

interface PendingJob {
  resolve: (names: Detection[][] | undefined) => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Runs the compromise name tagger in a worker thread, so a long or hostile message costs
 * that thread's time, never the event loop's (4 MB took ~80 s on the loop). One thread for
 * the process, started on first use; a job that overruns `nlpTimeoutMs` ends the thread (the
 * next job starts a new one) and its request gets no NLP names.
 */
export class NlpNameFinder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingJob>();
  private ready: Promise<void> = Promise.resolve();
  private nextId = 0;

  /** NLP names per text (texts past `nlpMaxChars` of the request get none, a long text only its first part), or undefined on timeout. */
  async find(texts: readonly string[]): Promise<Detection[][] | undefined> {
    let room = nlpMaxChars;
    const bounded = texts.map((text) => {
      const part = text.slice(0, Math.max(0, room));
      room -= part.length;
      return part;
    });
    if (bounded.every((text) => text === '')) return texts.map(() => []);
    const worker = this.start();
    const ready = this.ready;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const job: PendingJob = { resolve, timer: undefined };
      this.pending.set(id, job);
      // Held while a request waits on it, released when idle: an idle tagger never keeps the process from exiting.
      worker.ref();
      worker.postMessage({ id, texts: bounded } satisfies NlpJob);
      // The time limit counts from the thread being ready: loading the tagger takes ~1-2 s on a
      // busy machine, and counted in, it timed out the first request of a process.
      void ready.then(() => {
        if (this.pending.get(id) !== job) return;
        job.timer = setTimeout(() => {
          this.pending.delete(id);
          resolve(undefined);
          // The thread may be deep in one text; ending it is the only way to take the time back.
          this.stop();
        }, nlpTimeoutMs);
      });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnModuleWorker(import.meta.url, './detectors/nlp-worker');
    this.ready = new Promise((resolve) => {
      const started = setTimeout(() => {
        if (this.worker === worker) this.stop();
      }, nlpStartTimeoutMs);
      started.unref();
      worker.once('message', () => {
        clearTimeout(started);
        resolve();
      });
    });
    worker.on('message', (answer: NlpAnswer | 'ready') => {
      if (answer === 'ready') return;
      const job = this.pending.get(answer.id);
      if (!job) return;
      this.pending.delete(answer.id);
      clearTimeout(job.timer);
      if (this.pending.size === 0) worker.unref();
      job.resolve(answer.names);
    });
    worker.on('error', () => this.stop());
    worker.on('exit', () => {
      if (this.worker === worker) this.stop();
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the thread; a later `find` starts a new one. */
  close(): void {
    this.stop();
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, job] of this.pending) {
      this.pending.delete(id);
      clearTimeout(job.timer);
      job.resolve(undefined);
    }
    void worker?.terminate();
  }
}

/** The process's one tagger thread. */
export const nlpNameFinder = new NlpNameFinder();
