import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import type pg from 'pg';
import { openPool } from '../store/postgres/open-pool.js';
import type { IngestDocument } from '../../wire/collections.js';

/** A document read from a source, with the SHA-256 the server stores for its text when it is sent as text (null for files the server reads). */
export interface SourceDocument {
  name: string;
  body: IngestDocument;
  textHash: string | null;
  bytes: number;
}

/** Where `breakwater ingest` reads documents from; `read` is called once per sync round. */
export interface DocumentSource {
  describe(): string;
  read(): Promise<SourceDocument[]>;
  close(): Promise<void>;
}

/** Sent as text (the server chunks it directly); anything else is sent as a file the server's readers load. */
const textExtensions = new Set(['.md', '.markdown', '.txt', '.text', '.rst', '.csv', '.tsv', '.log', '.json', '.yaml', '.yml']);
const fileExtensions = new Set(['.pdf', '.docx', '.html', '.htm']);

/**
 * Files and directories (walked recursively; dot-files and unknown extensions skipped). A file
 * named on the command line is named by its base name, a file found in a directory by its path
 * relative to that directory, so a re-sync names every file the same way.
 */
export class FileSource implements DocumentSource {
  constructor(private readonly paths: readonly string[]) {}

  describe(): string {
    return this.paths.join(', ');
  }

  async read(): Promise<SourceDocument[]> {
    const found: Array<{ path: string; name: string }> = [];
    for (const path of this.paths) {
      const info = await stat(path).catch(() => undefined);
      if (!info) throw new SourceError('FILE_NOT_FOUND', `Cannot read ${path}; nothing was submitted.`);
      if (info.isDirectory()) {
        for (const file of await walk(path)) found.push({ path: file, name: relative(path, file).split(sep).join('/') });
      } else found.push({ path, name: basename(path) });
    }
    const documents: SourceDocument[] = [];
    for (const { path, name } of found) {
      const bytes = await readFile(path);
      if (textExtensions.has(extname(path).toLowerCase())) {
        const text = bytes.toString('utf8');
        if (text.trim() === '') continue;
        documents.push({ name, body: { name, text }, textHash: sha256(text), bytes: bytes.length });
      } else documents.push({ name, body: { name, data: bytes.toString('base64') }, textHash: null, bytes: bytes.length });
    }
    return documents;
  }

  async close(): Promise<void> {}
}

async function walk(folder: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.isFile() && (textExtensions.has(extname(entry.name).toLowerCase()) || fileExtensions.has(extname(entry.name).toLowerCase()))) files.push(path);
  }
  return files;
}

export interface TableSourceOptions {
  url: string;
  /** A SELECT whose rows are documents. */
  query: string;
  /** The column naming each row's document (default `id`). */
  idColumn: string;
  /** A column that grows when a row changes: after the first round only rows past the last value seen are read. */
  updatedAtColumn?: string;
}

/**
 * Rows of a PostgreSQL query as documents: the document name is `<id>`, the text is every other
 * non-null column (but the updated-at column) as `column: value` lines, in the query's order.
 * With an updated-at column each later round reads only rows changed since the previous one;
 * `ids()` lists every row's id so vanished rows can be deleted.
 */
export class TableSource implements DocumentSource {
  /** One connection, opened on first use and again after the server dropped it. */
  private readonly client: pg.Pool;
  private since: unknown = undefined;

  constructor(private readonly options: TableSourceOptions) {
    this.client = openPool({ connectionString: options.url, max: 1, connectionTimeoutMillis: 10_000 });
  }

  describe(): string {
    return `PostgreSQL query (${this.options.idColumn}${this.options.updatedAtColumn ? `, changes by ${this.options.updatedAtColumn}` : ''})`;
  }

  async read(): Promise<SourceDocument[]> {
    const { idColumn, updatedAtColumn } = this.options;
    const changedOnly = updatedAtColumn !== undefined && this.since !== undefined;
    const sql = changedOnly ? `SELECT * FROM (${this.options.query}) AS source WHERE ${quote(updatedAtColumn)} > $1` : this.options.query;
    const { rows } = await this.client.query<Record<string, unknown>>(sql, changedOnly ? [this.since] : []);
    const documents: SourceDocument[] = [];
    for (const row of rows) {
      if (!(idColumn in row)) throw new SourceError('INVALID_REQUEST', `The query returns no "${idColumn}" column; name the id column with --id-column.`);
      if (updatedAtColumn !== undefined) {
        const value = row[updatedAtColumn];
        if (value !== null && value !== undefined && (this.since === undefined || (value as number) > (this.since as number))) this.since = value;
      }
      const text = Object.entries(row)
        .filter(([column, value]) => column !== idColumn && column !== updatedAtColumn && value !== null && value !== undefined)
        .map(([column, value]) => `${column}: ${value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
        .join('\n');
      if (text === '') continue;
      const name = String(row[idColumn]);
      documents.push({ name, body: { name, text }, textHash: sha256(text), bytes: Buffer.byteLength(text) });
    }
    return documents;
  }

  /** Every row's document name, for deleting documents whose rows are gone. */
  async ids(): Promise<Set<string>> {
    const { rows } = await this.client.query<{ id: unknown }>(`SELECT ${quote(this.options.idColumn)} AS id FROM (${this.options.query}) AS source`);
    return new Set(rows.map((row) => String(row.id)));
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A source that cannot be read as configured, with a stable code and what to fix. It carries
 * the CLI's client-error mark, so `breakwater ingest` prints it as `breakwater: CODE: message`
 * (cli/api-client.ts); the server logs it for the watched source.
 */
export class SourceError extends Error {
  constructor(
    readonly code: 'FILE_NOT_FOUND' | 'INVALID_REQUEST',
    message: string,
  ) {
    super(message);
    this.name = 'SourceError';
    Object.defineProperty(this, clientErrorMark, { value: true });
  }
}

const clientErrorMark = Symbol.for('breakwater.client-error');
