import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import type { VectorIndex, VectorIndexCapabilities, VectorIndexStore } from '../../../core/ports/vector-index.js';
import { HnswVectorIndex, type HnswSettings } from './hnsw-vector-index.js';
import { VectorLog } from './vector-log.js';

const { HierarchicalNSW } = hnswlib;

export interface HnswVectorIndexStoreOptions {
  dimension: number;
  /** Where each scope keeps `<name>.json`, `<name>.hnsw` and `<name>.vectors`; absent: memory only. */
  directory?: string;
  /** Writes changed indexes this often (0: only on flush() and close()). */
  flushIntervalMs?: number;
  m?: number;
  efConstruction?: number;
  efSearch?: number;
  initialCapacity?: number;
}

/** What `<name>.json` holds. `records` is the log length the `.hnsw` file was written at. */
interface Sidecar {
  version: 1;
  scope: string;
  meta: Record<string, string>;
  dimension: number;
  records: number;
}

/**
 * HNSW indexes, one per scope, persisted to a directory. On open, a scope's graph is read
 * from its `.hnsw` file when the sidecar says it matches the vector log; otherwise (file
 * missing, unreadable, or written before the last logged change) it is rebuilt from the log.
 */
export class HnswVectorIndexStore implements VectorIndexStore {
  readonly capabilities: VectorIndexCapabilities;
  readonly dimension: number;
  private readonly settings: HnswSettings;
  private readonly indexes = new Map<string, { index: HnswVectorIndex; meta: Record<string, string>; metaChanged: boolean }>();
  private readonly opening = new Map<string, Promise<HnswVectorIndex>>();
  /** Scopes being written out and let go; opening one waits, then reads it back from disk. */
  private readonly releasing = new Map<string, Promise<void>>();
  private readonly timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: HnswVectorIndexStoreOptions) {
    this.dimension = options.dimension;
    this.capabilities = { persistent: options.directory !== undefined, exact: false };
    this.settings = { m: options.m ?? 16, efConstruction: options.efConstruction ?? 128, efSearch: options.efSearch ?? 64, initialCapacity: options.initialCapacity ?? 1024 };
    if (options.directory && options.flushIntervalMs) {
      this.timer = setInterval(() => void this.flush().catch(() => {}), options.flushIntervalMs);
      this.timer.unref();
    }
  }

  async open(scope: string, meta: Readonly<Record<string, string>>): Promise<VectorIndex> {
    const held = this.indexes.get(scope);
    // The index of a scope being released is on its way out: changes made to it would be lost.
    if (held && !this.releasing.has(scope)) {
      if (!sameMeta(held.meta, meta)) Object.assign(held, { meta: { ...meta }, metaChanged: true });
      return held.index;
    }
    let opening = this.opening.get(scope);
    if (!opening) {
      const released = this.releasing.get(scope);
      opening = (released ? released.then(() => this.load(scope, meta)) : this.load(scope, meta)).finally(() => this.opening.delete(scope));
      this.opening.set(scope, opening);
    }
    return opening;
  }

  async list(): Promise<Array<{ scope: string; meta: Record<string, string> }>> {
    const scopes = new Map([...this.indexes].map(([scope, { meta }]) => [scope, { ...meta }]));
    const { directory } = this.options;
    if (directory) {
      for (const name of await readdir(directory).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue;
        const sidecar = await readSidecar(join(directory, name));
        if (sidecar && !scopes.has(sidecar.scope)) scopes.set(sidecar.scope, sidecar.meta);
      }
    }
    return [...scopes].map(([scope, meta]) => ({ scope, meta }));
  }

  async drop(scope: string): Promise<void> {
    await this.opening.get(scope)?.catch(() => undefined);
    await this.releasing.get(scope);
    this.indexes.delete(scope);
    if (this.options.directory) {
      const base = this.basePath(scope);
      await Promise.all(['.json', '.hnsw', '.vectors'].map((extension) => rm(`${base}${extension}`, { force: true })));
    }
  }

  /**
   * Writes the scope (in turn with flushes) and lets its graph go; memory only: forgets it.
   * A write that fails still lets go: an unbounded cache is worse than losing a scope's
   * latest changes, and the sidecar's record count makes the next open rebuild from the log.
   */
  async release(scope: string): Promise<void> {
    if (this.releasing.has(scope)) return this.releasing.get(scope);
    const releasing = (async () => {
      await this.opening.get(scope)?.catch(() => undefined);
      const held = this.indexes.get(scope);
      if (!held) return;
      const write = this.flushing.catch(() => undefined).then(() => this.write(scope, held));
      this.flushing = write;
      try {
        await write;
      } finally {
        if (this.indexes.get(scope) === held) this.indexes.delete(scope);
      }
    })().finally(() => this.releasing.delete(scope));
    this.releasing.set(scope, releasing);
    return releasing;
  }

  /** Appends logged changes, then rewrites each changed graph and its sidecar; one flush at a time. */
  flush(): Promise<void> {
    // A failed flush must not fail every later one: each starts after the last, however it ended.
    this.flushing = this.flushing.catch(() => undefined).then(() => this.flushAll());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.releasing.values());
    await this.flush();
    this.indexes.clear();
  }

  private async flushAll(): Promise<void> {
    for (const [scope, held] of this.indexes) await this.write(scope, held);
  }

  private async write(scope: string, held: { index: HnswVectorIndex; meta: Record<string, string>; metaChanged: boolean }): Promise<void> {
    if (!this.options.directory) return;
    const { index } = held;
    const log = index.log!;
    if (!log.dirty && !held.metaChanged) return;
    held.metaChanged = false;
    const base = this.basePath(scope);
    const write = (async () => {
      // Removed vectors pile up in an append-only log; rewrite it once they outnumber the live ones.
      if (log.compactionDue || log.records > 2 * index.size() + 1024) await log.compact(index.vectors());
      else await log.append();
      await index.graph.writeIndex(`${base}.hnsw.tmp`);
      await rename(`${base}.hnsw.tmp`, `${base}.hnsw`);
      await writeSidecar(`${base}.json`, { version: 1, scope, meta: held.meta, dimension: this.dimension, records: log.records });
    })();
    index.writing = write;
    try {
      await write;
    } finally {
      index.writing = undefined;
    }
  }

  private async load(scope: string, meta: Readonly<Record<string, string>>): Promise<HnswVectorIndex> {
    const { directory } = this.options;
    let index: HnswVectorIndex;
    let metaChanged = true;
    if (!directory) index = HnswVectorIndex.create(this.dimension, this.settings, undefined);
    else {
      await mkdir(directory, { recursive: true });
      const base = this.basePath(scope);
      const log = new VectorLog(`${base}.vectors`, this.dimension);
      const sidecar = await readSidecar(`${base}.json`);
      const contents = sidecar?.dimension === this.dimension ? await VectorLog.read(log.path, this.dimension) : undefined;
      if (!sidecar || !contents) {
        // Nothing usable on disk (or vectors of another dimension): start empty.
        await Promise.all(['.hnsw', '.vectors'].map((extension) => rm(`${base}${extension}`, { force: true })));
        index = HnswVectorIndex.create(this.dimension, this.settings, log);
      } else {
        log.records = contents.records;
        const graph = sidecar.records === contents.records ? await readGraph(`${base}.hnsw`, this.dimension) : undefined;
        if (graph) {
          index = HnswVectorIndex.loaded(this.dimension, this.settings, graph, contents.live.keys(), log);
          metaChanged = !sameMeta(sidecar.meta, meta);
        } else {
          index = HnswVectorIndex.create(this.dimension, this.settings, log, Math.ceil(contents.live.size * 1.25));
          for (const [label, vector] of contents.live) index.insert(label, vector);
          log.compactionDue = true;
        }
      }
    }
    this.indexes.set(scope, { index, meta: { ...meta }, metaChanged });
    return index;
  }

  private basePath(scope: string): string {
    return join(this.options.directory!, createHash('sha256').update(scope).digest('base64url').slice(0, 32));
  }
}

async function readGraph(path: string, dimension: number): Promise<InstanceType<typeof HierarchicalNSW> | undefined> {
  try {
    const graph = new HierarchicalNSW('ip', dimension);
    await graph.readIndex(path, true);
    return graph.getNumDimensions() === dimension ? graph : undefined;
  } catch {
    return undefined;
  }
}

async function readSidecar(path: string): Promise<Sidecar | undefined> {
  try {
    const sidecar = JSON.parse(await readFile(path, 'utf8')) as Sidecar;
    return sidecar.version === 1 && typeof sidecar.scope === 'string' ? sidecar : undefined;
  } catch {
    return undefined;
  }
}

async function writeSidecar(path: string, sidecar: Sidecar): Promise<void> {
  await writeFile(`${path}.tmp`, JSON.stringify(sidecar));
  await rename(`${path}.tmp`, path);
}

function sameMeta(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
