import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import type { IngestDocument, WireCollection, WireDocument, WireIngestResult } from '../wire/collections.js';
import type { WireJob } from '../wire/jobs.js';
import type { WireList } from '../wire/list.js';
import { ApiClient, ClientError, type ClientFlags, reportingErrors, withClientOptions } from './api-client.js';
import { type DocumentSource, FileSource, type SourceDocument, TableSource } from '../adapters/sources/document-sources.js';

/** Documents and bytes per ingest job: well under the server's 1,000 documents and its body limit. */
const batchDocuments = 64;
const batchBytes = 4 * 1024 * 1024;

export interface SyncOptions {
  /** Create the collection (built-in embedder) when it does not exist. */
  create?: boolean;
  /** Delete the collection's documents the source no longer has. */
  prune?: boolean;
}

export interface SyncReport {
  sent: number;
  unchanged: number;
  deleted: number;
  embeddedChunks: number;
  removedChunks: number;
  failedJobs: Array<{ job: string; code: string; message: string }>;
}

/** Progress of one round: a bar over the documents sent on a terminal, one line per step elsewhere. */
export interface IngestView {
  start(documents: number): void;
  step(label: string): void;
  done(documents: number): void;
  stop(): void;
}

/**
 * One sync round: documents whose text the collection already holds (same SHA-256) are not sent;
 * the rest go in batches, one ingest job each (the server embeds only chunks it lacks), followed
 * to their end; with `prune`, documents the source no longer has are deleted.
 */
export async function syncOnce(client: ApiClient, collection: string, source: DocumentSource, options: SyncOptions, view: IngestView): Promise<SyncReport> {
  const path = `/v1/collections/${encodeURIComponent(collection)}`;
  await client.call<WireCollection>('GET', path).catch(async (error: unknown) => {
    if (!(ClientError.isInstance(error) && error.code === 'COLLECTION_NOT_FOUND' && options.create)) throw error;
    await client.call('POST', '/v1/collections', { name: collection });
  });
  const stored = new Map((await client.call<WireList<WireDocument>>('GET', `${path}/documents`)).body.data.map((document) => [document.name, document.content_hash]));
  const documents = await source.read();
  const changed = documents.filter((document) => document.textHash === null || stored.get(document.name) !== document.textHash);
  const present = source instanceof TableSource && options.prune ? await source.ids() : new Set(documents.map((document) => document.name));
  const deletions: IngestDocument[] = options.prune ? [...stored.keys()].filter((name) => !present.has(name)).map((name) => ({ name, delete: true as const })) : [];
  const report: SyncReport = { sent: changed.length, unchanged: documents.length - changed.length, deleted: 0, embeddedChunks: 0, removedChunks: 0, failedJobs: [] };
  view.start(changed.length + deletions.length);
  const batches = [...batch(changed), ...(deletions.length > 0 ? [deletions] : [])];
  for (const [index, documents] of batches.entries()) {
    const { body: job } = await client.call<WireJob>('POST', `${path}/documents`, { documents });
    const prefix = batches.length > 1 ? `batch ${index + 1}/${batches.length}: ` : '';
    for await (const event of client.followEvents(job.id)) {
      if (event.type === 'job-progress') view.step(`${prefix}${event.step ?? 'working'}${typeof event.done === 'number' ? ` ${event.done}/${event.chunks}` : ''}`);
      else if (event.type === 'job-retry') view.step(`${prefix}retrying after ${event.error?.code ?? 'an error'}`);
    }
    const ended = await client.getJob(job.id);
    view.done(documents.length);
    if (ended.status !== 'succeeded') {
      report.failedJobs.push({ job: job.id, code: ended.error?.code ?? ended.status.toUpperCase(), message: ended.error?.message ?? `The job ended ${ended.status}.` });
      continue;
    }
    const result = ended.result as WireIngestResult;
    report.embeddedChunks += result.embedded_chunks;
    report.removedChunks += result.removed_chunks;
    report.deleted += result.documents.filter((document) => document.status === 'deleted').length;
  }
  return report;
}

function batch(documents: readonly SourceDocument[]): IngestDocument[][] {
  const batches: IngestDocument[][] = [];
  let current: IngestDocument[] = [];
  let bytes = 0;
  for (const document of documents) {
    const size = 'data' in document.body ? Math.ceil(document.bytes * 1.34) : document.bytes;
    if (current.length > 0 && (current.length >= batchDocuments || bytes + size > batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(document.body);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function createIngestView(stream: NodeJS.WriteStream): IngestView {
  if (!stream.isTTY) {
    return { start: (documents) => stream.write(`sending ${documents} documents\n`), step: (label) => stream.write(`${label}\n`), done: () => {}, stop: () => {} };
  }
  const bar = new cliProgress.SingleBar({ stream, format: 'ingest |{bar}| {value}/{total} documents  {label}', barsize: 30, hideCursor: true }, cliProgress.Presets.shades_classic);
  return {
    start: (documents) => bar.start(documents, 0, { label: 'submitting' }),
    step: (label) => bar.update({ label }),
    done: (documents) => bar.increment(documents),
    stop: () => bar.stop(),
  };
}

export function describeReport(report: SyncReport): string {
  const failed = report.failedJobs.map((failure) => `\n  job ${failure.job}: ${failure.code}: ${failure.message}`).join('');
  return `${report.sent} sent, ${report.unchanged} unchanged, ${report.deleted} deleted; ${report.embeddedChunks} chunks embedded, ${report.removedChunks} removed${report.failedJobs.length > 0 ? `; ${report.failedJobs.length} jobs failed${failed}` : ''}`;
}

interface IngestFlags extends ClientFlags {
  create?: boolean;
  prune?: boolean;
  watch?: boolean;
  every: string;
  postgres?: string;
  query?: string;
  idColumn: string;
  updatedAt?: string;
  json?: boolean;
}

export function ingestCommand(): Command {
  return withClientOptions(new Command('ingest'))
    .description('Ingest files, directories or PostgreSQL rows into a collection with live progress; --watch re-syncs on a schedule')
    .argument('<collection>', 'collection name (GET /v1/collections lists them)')
    .argument('[paths...]', 'files and directories (walked recursively: Markdown, text, PDF, DOCX, HTML)')
    .option('--create', 'create the collection (built-in embedder) if it does not exist')
    .option('--prune', "delete the collection's documents that the source no longer has")
    .option('--watch', 're-sync every --every seconds until interrupted (unchanged documents are not sent)')
    .option('--every <seconds>', 'seconds between re-syncs with --watch', '60')
    .option('--postgres <url>', 'read documents from a PostgreSQL query instead of files (with --query)')
    .option('--query <sql>', 'the SELECT whose rows are documents')
    .option('--id-column <column>', 'the column naming each row', 'id')
    .option('--updated-at <column>', 'a column that grows when a row changes: re-syncs read only newer rows')
    .option('--json', 'print one JSON report per round')
    .action(
      reportingErrors(async (collection: string, paths: string[], flags: IngestFlags) => {
        const source = sourceOf(paths, flags);
        const client = ApiClient.fromFlags(flags);
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        process.once('SIGINT', interrupt).once('SIGTERM', interrupt);
        try {
          do {
            const view = flags.json ? { start() {}, step() {}, done() {}, stop() {} } : createIngestView(process.stderr);
            let report: SyncReport;
            try {
              report = await syncOnce(client, collection, source, { ...(flags.create ? { create: true } : {}), ...(flags.prune ? { prune: true } : {}) }, view);
            } finally {
              view.stop();
            }
            process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${collection}: ${describeReport(report)}\n`);
            if (report.failedJobs.length > 0) process.exitCode = 1;
            if (!flags.watch) break;
            await sleep(Number(flags.every) * 1000, undefined, { signal: stop.signal }).catch(() => {});
          } while (!stop.signal.aborted);
        } finally {
          process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
          await source.close();
          await client.close();
        }
      }),
    );
}

function sourceOf(paths: readonly string[], flags: IngestFlags): DocumentSource {
  if (flags.postgres) {
    if (!flags.query) throw new ClientError('INVALID_REQUEST', '--postgres needs --query "SELECT id, title, body, updated_at FROM articles".');
    return new TableSource({ url: flags.postgres, query: flags.query, idColumn: flags.idColumn, ...(flags.updatedAt ? { updatedAtColumn: flags.updatedAt } : {}) });
  }
  if (paths.length === 0) throw new ClientError('INVALID_REQUEST', 'Name files or directories to ingest, or --postgres with --query.');
  if (!Number.isFinite(Number(flags.every)) || Number(flags.every) <= 0) throw new ClientError('INVALID_REQUEST', '--every takes a number of seconds above 0.');
  return new FileSource(paths);
}
