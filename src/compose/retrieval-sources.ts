import type { Logger } from 'pino';
import { type DocumentSource, FileSource, TableSource } from '../adapters/sources/document-sources.js';
import type { ParsedConfig } from '../config/schema.js';
import { resolveSecret } from '../config/secrets.js';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import type { CollectionStore } from '../core/ports/collection-store.js';
import type { KeyStore } from '../core/ports/store.js';
import type { CollectionService } from '../core/retrieval/collection-service.js';
import type { IngestDocument } from '../wire/collections.js';

type SourceConfig = ParsedConfig['retrieval']['sources'][string];

/** Documents per ingest job, as `breakwater ingest` sends them. */
const batchSize = 64;

export interface WatchedSourcesOptions {
  sources: Readonly<Record<string, SourceConfig>>;
  collections: CollectionService;
  store: CollectionStore;
  keys: KeyStore;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

/** What one round did. */
export interface SourceRound {
  sent: number;
  deleted: number;
  jobs: string[];
}

/**
 * Runs `retrieval.sources` on worker nodes: each source's round is claimed in the collection
 * store (claimSourceRound), so with several workers on one store exactly one runs it. A round
 * reads the source as `breakwater ingest` does, sends the documents whose text the collection
 * does not already hold (and, with `prune`, deletes the ones the source lost) as ingest jobs
 * through the queue, as the configured key.
 */
export class WatchedSources {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: WatchedSourcesOptions) {}

  /** A first round now (if due), then a check every min(every, 30) seconds. */
  start(): void {
    for (const [name, source] of Object.entries(this.options.sources)) {
      const check = () => {
        if (this.stopped) return;
        const round = this.tick(name).catch((error) => this.options.logger.warn({ err: error, source: name }, 'watched source round failed; the next round retries'));
        this.running.add(round);
        void round.finally(() => this.running.delete(round));
      };
      check();
      const timer = setInterval(check, Math.min(source.every, 30) * 1000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Claims and runs the source's round due at `now`; undefined when it was not due or another node has it. */
  async tick(name: string, now = Date.now()): Promise<SourceRound | undefined> {
    const source = this.options.sources[name];
    if (!source) throw new BreakwaterError('INVALID_REQUEST', `No watched source "${name}" under retrieval.sources.`);
    if (!(await this.options.store.claimSourceRound(name, source.every * 1000, now))) return undefined;
    return this.run(name, source);
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }

  private async run(name: string, config: SourceConfig): Promise<SourceRound> {
    const key = await this.options.keys.findKey(config.key);
    if (!key || key.revokedAt) throw new BreakwaterError('CONFIG_INVALID', `retrieval.sources.${name}.key: no active virtual key "${config.key}".`);
    const { collections } = this.options;
    await collections.get(key, config.collection).catch(async (error: BreakwaterError) => {
      if (error.code !== 'COLLECTION_NOT_FOUND') throw error;
      await collections.create(key, { name: config.collection }).catch((raced: BreakwaterError) => {
        if (raced.code !== 'COLLECTION_EXISTS') throw raced;
      });
    });
    const source: DocumentSource = config.directory
      ? new FileSource([config.directory])
      : new TableSource({
          url: resolveSecret(config.postgres!.url, `retrieval.sources.${name}.postgres.url`, this.options.env),
          query: config.postgres!.query,
          idColumn: config.postgres!.idColumn,
        });
    try {
      const documents = await source.read();
      const stored = new Map((await collections.documents(key, config.collection)).map((document) => [document.name, document.contentHash]));
      const changed: IngestDocument[] = documents
        .filter((document) => document.textHash === null || stored.get(document.name) !== document.textHash)
        .map((document) => document.body);
      const present = new Set(documents.map((document) => document.name));
      const deletions: IngestDocument[] = config.prune
        ? [...stored.keys()].filter((document) => !present.has(document)).map((document) => ({ name: document, delete: true as const }))
        : [];
      const all = [...changed, ...deletions];
      const jobs: string[] = [];
      for (let start = 0; start < all.length; start += batchSize) {
        const job = await collections.ingest(key, config.collection, { documents: all.slice(start, start + batchSize) });
        jobs.push(job.id);
      }
      if (all.length > 0) this.options.logger.info({ source: name, sent: changed.length, deleted: deletions.length, jobs }, 'watched source round queued ingest jobs');
      return { sent: changed.length, deleted: deletions.length, jobs };
    } finally {
      await source.close();
    }
  }
}
