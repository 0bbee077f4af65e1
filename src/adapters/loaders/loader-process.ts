import { fork, type ChildProcess } from 'node:child_process';
import { runInBackground } from '../../core/background-priority.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '../../core/errors/catalogue.js';
import type { DocumentInput, DocumentLimits, LoadedDocument } from '../../core/ports/document-loader.js';

export interface ReadRequest {
  id: number;
  input: DocumentInput;
  limits: DocumentLimits;
  accepts?: readonly string[];
}

export type ReadReply =
  | { id: number; ok: true; value: LoadedDocument }
  | { id: number; ok: false; error: { code: ErrorCode | null; message: string; details: Record<string, unknown>; retryable: boolean } };

/** What became of one read; a process never rejects, so the reader decides what each means. */
export type ReadOutcome =
  | { kind: 'reply'; reply: ReadReply }
  | { kind: 'timeout' }
  | { kind: 'out-of-memory' }
  | { kind: 'crashed'; error: Error }
  | { kind: 'not-started'; error: Error };

// Built, the entry is JavaScript beside this file in dist; under tsx (the tests) both are
// TypeScript and the child needs tsx too.
const fromSources = import.meta.url.endsWith('.ts');
const entry = fileURLToPath(new URL(`./document-worker${fromSources ? '.ts' : '.js'}`, import.meta.url));
const inherited = process.execArgv.filter((flag) => !/^--(inspect|debug|max-old-space-size|test)/.test(flag));
const tsx = fromSources && !inherited.some((flag) => flag.includes('tsx')) ? ['--import', 'tsx'] : [];

/**
 * One child process that reads documents one at a time. A process, not a worker thread: a
 * worker's heap limit leaves ArrayBuffers uncapped (pdfjs inflates a 500 KB PDF's content
 * stream to a gigabyte in them) and a worker reaching its limit can abort the whole process
 * (nodejs/node#47224). Here the V8 heap is capped by flag, the resident size is watched and
 * the child killed past the cap, and on Linux the kernel's OOM killer is told to pick the
 * child first. A process that hit a limit or crashed is dead (`alive` false), never reused.
 */
export class LoaderProcess {
  private readonly child: ChildProcess;
  private readonly started: Promise<Error | undefined>;
  private pending: { id: number; settle: (outcome: ReadOutcome) => void; timers: NodeJS.Timeout[] } | undefined;
  private nextId = 0;
  private stderr = '';
  private killedFor: 'timeout' | 'out-of-memory' | undefined;
  alive = true;

  constructor(private readonly options: { maxMemoryMb: number }) {
    this.child = fork(entry, [], {
      execArgv: [...inherited, ...tsx, `--max-old-space-size=${options.maxMemoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    if (this.child.pid !== undefined) runInBackground(this.child.pid);
    // Kept for the reason of a crash (V8 prints "heap out of memory" there), not forwarded.
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4096)));
    this.started = new Promise((resolve) => {
      this.child.once('message', () => resolve(undefined));
      this.child.once('error', resolve);
      this.child.once('exit', (code, signal) =>
        resolve(new Error(`the reader process exited (${signal ?? `code ${code}`}) while starting: ${this.stderr.trim().split('\n').at(-1) ?? ''}`)),
      );
    });
    this.child.on('message', (reply: ReadReply) => {
      if (this.pending !== undefined && reply.id === this.pending.id) this.finish({ kind: 'reply', reply });
    });
    this.child.on('error', (error) => {
      this.alive = false;
      this.finish({ kind: 'crashed', error });
    });
    this.child.on('exit', (code, signal) => {
      this.alive = false;
      const outOfMemory = this.killedFor === 'out-of-memory' || /heap out of memory|Allocation failed/.test(this.stderr);
      this.finish(outOfMemory ? { kind: 'out-of-memory' } : { kind: 'crashed', error: new Error(`the reader process exited (${signal ?? `code ${code}`})`) });
    });
    this.hold(false);
  }

  /** Reads one document. The time limit starts once the process has started, so its start-up is not charged to the document. */
  async read(request: Omit<ReadRequest, 'id'>, timeoutMs: number): Promise<ReadOutcome> {
    this.hold(true);
    const failed = await this.started;
    if (failed !== undefined) {
      this.alive = false;
      return { kind: 'not-started', error: failed };
    }
    return new Promise((settle) => {
      const id = ++this.nextId;
      const deadline = setTimeout(() => this.kill('timeout'), timeoutMs);
      const watch = setInterval(() => {
        if (residentBytes(this.child.pid) > this.options.maxMemoryMb * 1024 * 1024) this.kill('out-of-memory');
      }, 50);
      this.pending = { id, settle, timers: [deadline, watch] };
      this.child.send({ ...request, id } satisfies ReadRequest);
    });
  }

  async close(): Promise<void> {
    this.alive = false;
    this.finish({ kind: 'crashed', error: new Error('the reader was closed') });
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    // Referenced while it dies: an unreferenced child's exit does not keep the event loop
    // alive, so a shutdown awaiting it could find the loop empty (exit code 13).
    this.hold(true);
    this.child.kill('SIGKILL');
    await exited;
  }

  private kill(reason: 'timeout' | 'out-of-memory'): void {
    this.alive = false;
    this.killedFor = reason;
    this.finish(reason === 'timeout' ? { kind: 'timeout' } : { kind: 'out-of-memory' });
    this.child.kill('SIGKILL');
  }

  private finish(outcome: ReadOutcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    for (const timer of pending.timers) clearTimeout(timer);
    this.hold(false);
    pending.settle(outcome);
  }

  /** An idle reader must not keep the process alive; a busy one must, until its answer arrives. */
  private hold(busy: boolean): void {
    const channel = this.child.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      this.child.ref();
      channel?.ref?.();
    } else {
      this.child.unref();
      channel?.unref?.();
    }
  }
}

/** The child's resident size from /proc (Linux); 0 elsewhere, where only the heap flag applies. */
function residentBytes(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return 0;
  try {
    const kibibytes = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kibibytes === undefined ? 0 : Number(kibibytes) * 1024;
  } catch {
    return 0;
  }
}
