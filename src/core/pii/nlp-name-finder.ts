import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NlpAnswer, NlpJob } from './detectors/nlp-worker.js';
import type { Detection } from './pii-type.js';

/**
 * Characters of one request the NLP tagger reads, from the start: at ~20 µs per character
 * (up to ~270 on hostile shapes) 32 K is 0.6-9 s of the tagger's thread. Names past it are
 * found by the rules alone (docs/governance.md#pii).
 */
export const nlpMaxChars = 32_768;

/** A request whose tagging has not finished by then is scrubbed by the rules alone. */
export const nlpTimeoutMs = 2_000;

/**
 * Runs the compromise name tagger in a worker thread, so a long or hostile message costs
 * that thread's time, never the event loop's (4 MB took ~80 s on the loop). One thread for
 * the process, started on first use; a job that overruns `nlpTimeoutMs` ends the thread (the
 * next job starts a new one) and its request gets no NLP names.
 */
export class NlpNameFinder {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (names: Detection[][] | undefined) => void; timer: NodeJS.Timeout }>();
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
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(undefined);
        // The thread may be deep in one text; ending it is the only way to take the time back.
        this.stop();
      }, nlpTimeoutMs);
      this.pending.set(id, { resolve, timer });
      // Held while a request waits on it, released when idle: an idle tagger never keeps the process from exiting.
      worker.ref();
      worker.postMessage({ id, texts: bounded } satisfies NlpJob);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker();
    worker.on('message', (answer: NlpAnswer) => {
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

/**
 * The worker's file has this module's extension: .js once built; .ts under tsx (tests, dev),
 * whose loader a worker thread does not inherit on Node 20, so it registers it first.
 */
function spawnWorker(): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./detectors/nlp-worker${extension}`, import.meta.url);
  if (extension !== '.ts') return new Worker(entry);
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(loader)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}

/** The process's one tagger thread. */
export const nlpNameFinder = new NlpNameFinder();
