import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLimits, DocumentReader, LoadedDocument } from '../../core/ports/document-loader.js';
import { LoaderProcess, type ReadOutcome } from './loader-process.js';
import { documentName } from './unreadable-document.js';

export interface IsolatedDocumentReaderOptions {
  /** Reader processes at once; more documents wait their turn. */
  processes: number;
  /** Wall-clock limit on reading one document. */
  timeoutMs: number;
  /** Memory of each reader process: its V8 heap limit, and the resident size at which it is stopped. */
  maxMemoryMb: number;
  /** An idle process is stopped after this, returning its memory (pdfjs and mammoth stay loaded in it). Default 60 s. */
  idleMs?: number;
}

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Reads documents with the default loaders in a small pool of child processes, so a hostile or
 * huge document costs a reader, never the event loop or the memory of the process that also
 * answers HTTP (the `all` role). A document that runs past the time or memory limit has its
 * reader killed and fails with `DOCUMENT_TOO_LARGE`, naming the setting that raises the
 * limit; readers are started on demand, reused between documents and stopped when idle.
 */
export class IsolatedDocumentReader implements DocumentReader {
  private readonly idle: LoaderProcess[] = [];
  private readonly idleTimers = new Map<LoaderProcess, NodeJS.Timeout>();
  private readonly waiting: { resolve: (reader: LoaderProcess) => void; reject: (error: BreakwaterError) => void }[] = [];
  private readonly running = new Set<LoaderProcess>();
  private closed = false;
  private started = 0;

  constructor(private readonly options: IsolatedDocumentReaderOptions) {}

  async load(input: DocumentInput, limits: DocumentLimits, accepts?: readonly string[]): Promise<LoadedDocument> {
    if (this.closed) throw closing();
    const reader = await this.acquire();
    let outcome: ReadOutcome;
    try {
      outcome = await reader.read({ input, limits: { ...limits }, ...(accepts ? { accepts: [...accepts] } : {}) }, this.options.timeoutMs);
    } finally {
      this.release(reader);
    }
    return this.settle(input, outcome);
  }

  /** Reader processes started so far, replacements of stopped ones included: a measure of reuse. */
  get processesStarted(): number {
    return this.started;
  }

  /** Stops every reader; documents still being read fail with a retryable error. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    for (const waiter of this.waiting.splice(0)) waiter.reject(closing());
    const readers = [...this.idle.splice(0), ...this.running];
    await Promise.all(readers.map((reader) => reader.close()));
  }

  private acquire(): Promise<LoaderProcess> | LoaderProcess {
    let reused = this.idle.pop();
    while (reused !== undefined && !reused.alive) reused = this.idle.pop();
    if (reused !== undefined) {
      clearTimeout(this.idleTimers.get(reused));
      this.idleTimers.delete(reused);
      this.running.add(reused);
      return reused;
    }
    if (this.running.size < this.options.processes) return this.start();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(reader: LoaderProcess): void {
    this.running.delete(reader);
    if (this.closed) return;
    const next = this.waiting.shift();
    if (next !== undefined) {
      if (reader.alive) this.running.add(reader);
      next.resolve(reader.alive ? reader : this.start());
      return;
    }
    if (!reader.alive) return;
    this.idle.push(reader);
    const timer = setTimeout(() => {
      this.idleTimers.delete(reader);
      this.idle.splice(this.idle.indexOf(reader), 1);
      void reader.close();
    }, this.options.idleMs ?? 60_000);
    timer.unref();
    this.idleTimers.set(reader, timer);
  }

  private start(): LoaderProcess {
    const reader = new LoaderProcess({ maxMemoryMb: this.options.maxMemoryMb });
    this.started++;
    this.running.add(reader);
    return reader;
  }

  private settle(input: DocumentInput, outcome: ReadOutcome): LoadedDocument {
    const name = documentName(input);
    const details = { name: input.name ?? null, bytes: input.bytes.length };
    if (this.closed && outcome.kind !== 'reply') throw closing();
    switch (outcome.kind) {
      case 'reply': {
        if (outcome.reply.ok) return outcome.reply.value;
        const { code, message, details: replyDetails, retryable } = outcome.reply.error;
        // Not a BreakwaterError in the reader: an unexpected failure, which the job treats as it would one thrown here.
        if (code === null) throw new Error(message);
        throw new BreakwaterError(code, message, { details: replyDetails, retryable });
      }
      case 'timeout':
        throw new BreakwaterError(
          'DOCUMENT_TOO_LARGE',
          `${name}: reading the document took longer than ${count(this.options.timeoutMs)} ms (jobs.documents.timeoutMs) and was stopped; split it into smaller documents or raise the limit.`,
          { details: { ...details, timeoutMs: this.options.timeoutMs } },
        );
      case 'out-of-memory':
        throw new BreakwaterError(
          'DOCUMENT_TOO_LARGE',
          `${name}: reading the document needed more than ${count(this.options.maxMemoryMb)} MB of memory (jobs.documents.maxMemoryMb) and was stopped; split it into smaller documents or raise the limit.`,
          { details: { ...details, maxMemoryMb: this.options.maxMemoryMb } },
        );
      case 'crashed':
        throw new BreakwaterError(
          'DOCUMENT_UNREADABLE',
          `${name}: the document reader failed on this document (${outcome.error.message}); open and save or export it again and submit it again.`,
          {
            details,
            cause: outcome.error,
          },
        );
      case 'not-started':
        throw new BreakwaterError(
          'INTERNAL_ERROR',
          `The document reader did not start (${outcome.error.message}); if it ran out of memory loading its libraries, raise jobs.documents.maxMemoryMb.`,
          { cause: outcome.error },
        );
    }
  }
}

function closing(): BreakwaterError {
  return new BreakwaterError('INTERNAL_ERROR', 'The document reader is shutting down; the job goes back to the queue and another worker reads the document.', { retryable: true });
}
