import pg from 'pg';
import { BreakwaterError } from '../../../core/errors/breakwater-error.js';
import { openPool } from '../../store/postgres/open-pool.js';
import type { RecordProvenance, RecordSink, SinkWrite } from '../../../core/ports/record-sink.js';
import { postgresIdentifierPattern, postgresTablePattern, provenanceColumnPrefix } from '../../../config/postgres-sink-config.js';

export interface PostgresSinkOptions {
  connectionString: string;
  /** `table` or `schema.table`; quoted as written, so case matters. */
  table: string;
  /** Create the table on first write when it does not exist (default true). */
  createTable?: boolean;
  /** Record property → column name, overriding the derived name. */
  columns?: Record<string, string>;
  /** Connections to the user's server (default 4). */
  poolSize?: number;
  /**
   * A write failed, with what only operators may see: the server (`host:port/database`) and
   * the driver's own message (which may name the host, database or user). The error the job
   * records, which its tenant reads, says what failed and how to fix it without them.
   */
  onError?: (error: unknown, context: { table: string; server: string; sqlState: string | null; reason: string }) => void;
}

interface Column {
  name: string;
  /** The PostgreSQL type, as written in CREATE TABLE and in the ALTER TABLE a user is told to run. */
  type: string;
  value: (write: SinkWrite) => unknown;
}

/** A table layout for one pipeline schema: its columns, INSERT text and the check that the table fits. */
interface Layout {
  columns: Column[];
  insertSql: string;
  ready: Promise<void> | undefined;
}

const jobIdColumn = '_bw_job_id';

const provenanceColumns: Array<{ name: string; type: string; value: (provenance: RecordProvenance) => unknown }> = [
  { name: '_bw_tenant', type: 'text', value: (provenance) => provenance.tenant },
  { name: '_bw_pipeline', type: 'text', value: (provenance) => provenance.pipeline },
  { name: '_bw_prompt_version', type: 'int', value: (provenance) => provenance.promptVersion },
  { name: '_bw_model', type: 'text', value: (provenance) => provenance.model },
  { name: '_bw_deployment', type: 'text', value: (provenance) => provenance.deployment },
  { name: '_bw_attempts', type: 'int', value: (provenance) => provenance.attempts },
  { name: '_bw_input_tokens', type: 'int', value: (provenance) => provenance.inputTokens },
  { name: '_bw_output_tokens', type: 'int', value: (provenance) => provenance.outputTokens },
  { name: '_bw_cost_usd', type: 'numeric', value: (provenance) => provenance.costUsd },
  { name: '_bw_source', type: 'text', value: (provenance) => provenance.source },
  { name: '_bw_created_at', type: 'timestamptz', value: (provenance) => new Date(provenance.createdAt).toISOString() },
];

/** Node and pg failures that mean "the server could not be reached or went away": worth a retry. */
const transportErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
/** SQLSTATEs that pass with time: serialization failure, deadlock, lock timeout, statement timeout, shutdown. */
const transientSqlStates = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03']);

/**
 * Derives a column name from a record property so that it is safe and readable unquoted:
 * camelCase and PascalCase words are split with `_` (`carrierName` → `carrier_name`,
 * `HTTPStatus` → `http_status`), letters are lower-cased, every run of other characters
 * (spaces, `-`, `.`, non-ASCII letters) becomes one `_`, leading and trailing `_` are dropped
 * (so a derived name never starts with the reserved `_bw_`), a name starting with a digit
 * gets a leading `_`, and the result is cut to 63 bytes (PostgreSQL's identifier limit).
 * Two properties that derive the same name, or a name that derives to nothing, need a
 * `columns` override.
 */
export function postgresColumnName(property: string): string {
  const words = property
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[0-9]/.test(words) ? `_${words}` : words).slice(0, 63).replace(/_+$/, '');
}

/**
 * The column type for one top-level property. A `null` member of a type list only makes the
 * column nullable (every data column is); any other union, `anyOf`/`oneOf`, objects and arrays
 * become jsonb.
 */
function columnType(property: unknown): string {
  if (typeof property !== 'object' || property === null) return 'jsonb';
  const { type, format } = property as { type?: unknown; format?: unknown };
  const types = (Array.isArray(type) ? type : [type]).filter((member) => member !== 'null');
  if (types.length !== 1) return 'jsonb';
  switch (types[0]) {
    case 'string':
      return format === 'date' ? 'date' : format === 'date-time' ? 'timestamptz' : 'text';
    case 'integer':
      return 'bigint';
    case 'number':
      return 'numeric';
    case 'boolean':
      return 'boolean';
    default:
      return 'jsonb';
  }
}

function columnValue(type: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  // pg would turn a JS array into a PostgreSQL array literal; jsonb wants JSON text.
  if (type === 'jsonb') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}

function sqlState(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** Writes each validated record as one row of a table in the user's PostgreSQL. */
export class PostgresSink implements RecordSink {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly table: string;
  private readonly quotedTable: string;
  private readonly createTable: boolean;
  private readonly overrides: Record<string, string>;
  private readonly server: string;
  private readonly password: string | undefined;
  private readonly onError: PostgresSinkOptions['onError'];
  private readonly layouts = new Map<string, Layout>();
  private created: Promise<void> | undefined;
  private closed = false;

  constructor(options: PostgresSinkOptions) {
    if (!postgresTablePattern.test(options.table)) {
      throw new BreakwaterError(
        'CONFIG_INVALID',
        `Postgres sink table "${options.table}" is not a valid name; use "table" or "schema.table" (letters, digits and _, not starting with a digit).`,
      );
    }
    for (const [property, column] of Object.entries(options.columns ?? {})) {
      if (!postgresIdentifierPattern.test(column) || column.toLowerCase().startsWith(provenanceColumnPrefix)) {
        throw new BreakwaterError(
          'CONFIG_INVALID',
          `Postgres sink column "${column}" for property "${property}" is not a valid name; use letters, digits and _ (not starting with a digit or ${provenanceColumnPrefix}).`,
        );
      }
    }
    this.table = options.table;
    this.quotedTable = options.table
      .split('.')
      .map((part) => pg.escapeIdentifier(part))
      .join('.');
    this.createTable = options.createTable ?? true;
    this.overrides = { ...options.columns };
    this.onError = options.onError;
    ({ server: this.server, password: this.password } = describeServer(options.connectionString));
    this.pool = openPool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 30_000,
      application_name: 'breakwater-sink',
    });
  }

  async write(write: SinkWrite): Promise<boolean> {
    const layout = this.layoutFor(write.schema);
    try {
      layout.ready ??= this.prepare(layout.columns).catch((error: unknown) => {
        layout.ready = undefined;
        throw error;
      });
      await layout.ready;
      const result = await this.pool.query(
        layout.insertSql,
        layout.columns.map((column) => column.value(write)),
      );
      return result.rowCount === 1;
    } catch (error) {
      // A column dropped after the check: check again on the next write.
      if (sqlState(error) === '42703') layout.ready = undefined;
      throw this.failure(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private layoutFor(schema: Record<string, unknown>): Layout {
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    const data: Column[] = [];
    const owners = new Map<string, string>();
    for (const [property, definition] of Object.entries(properties)) {
      const name = this.overrides[property] ?? postgresColumnName(property);
      if (name === '')
        throw this.configFailure(`Record property "${property}" has no usable column name; map it in the sink's columns (e.g. columns: { "${property}": "my_column" }).`, {
          property,
        });
      const other = owners.get(name);
      if (other !== undefined)
        throw this.configFailure(
          `Record properties "${other}" and "${property}" both map to column "${name}" of table ${this.table}; give one of them another name in the sink's columns.`,
          { property, column: name },
        );
      owners.set(name, property);
      const type = columnType(definition);
      data.push({ name, type, value: (write) => columnValue(type, write.record[property]) });
    }
    const columns: Column[] = [
      { name: jobIdColumn, type: 'text', value: (write) => write.provenance.jobId },
      ...data,
      ...provenanceColumns.map((column) => ({ name: column.name, type: column.type, value: (write: SinkWrite) => column.value(write.provenance) })),
    ];
    const signature = JSON.stringify(columns.map((column) => [column.name, column.type]));
    let layout = this.layouts.get(signature);
    if (layout === undefined) {
      const names = columns.map((column) => pg.escapeIdentifier(column.name)).join(', ');
      const parameters = columns.map((_, index) => `$${index + 1}`).join(', ');
      // Inputs: one parameter per column, in `columns` order. Output: rowCount 1 when inserted, 0 when the job's row was already there.
      const insertSql = `INSERT INTO ${this.quotedTable} (${names}) VALUES (${parameters}) ON CONFLICT (${jobIdColumn}) DO NOTHING`;
      layout = { columns, insertSql, ready: undefined };
      this.layouts.set(signature, layout);
    }
    return layout;
  }

  /** Creates the table when allowed (once per process), then checks it has every column. */
  private async prepare(columns: Column[]): Promise<void> {
    if (this.createTable) {
      this.created ??= this.create(columns).catch((error: unknown) => {
        this.created = undefined;
        throw error;
      });
      await this.created;
    }
    // Input: the quoted table name, resolved through search_path when unqualified. Output: its live columns; no rows when it does not exist.
    const result = await this.pool.query<{ attname: string }>('SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped', [
      this.quotedTable,
    ]);
    if (result.rows.length === 0) {
      throw this.configFailure(`Table ${this.table} does not exist and the sink's createTable is false; create it with: ${this.createSql(columns)}`, {});
    }
    const present = new Set(result.rows.map((row) => row.attname));
    const missing = columns.filter((column) => !present.has(column.name));
    if (missing.length === 0) return;
    const names = missing.map((column) => `"${column.name}"`).join(', ');
    const additions = missing.map((column) => `ADD COLUMN ${pg.escapeIdentifier(column.name)} ${column.name === jobIdColumn ? 'text UNIQUE' : column.type}`).join(', ');
    throw this.configFailure(
      `Table ${this.table} lacks ${missing.length === 1 ? 'column' : 'columns'} ${names} that the pipeline's records need; Breakwater does not alter existing tables. Run: ALTER TABLE ${this.quotedTable} ${additions};`,
      { missingColumns: missing.map((column) => column.name) },
    );
  }

  private async create(columns: Column[]): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    // A checked-out connection that dies between two queries emits 'error' on the client;
    // unheard, that ends the process. Heard, the next query fails and the write is retried.
    const onError = () => (broken = true);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      // CREATE TABLE IF NOT EXISTS is not atomic: two processes' first writes can both pass the
      // check and one fails on pg_type's unique index. The lock makes them take turns.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`breakwater-sink:${this.quotedTable}`]);
      await client.query(this.createSql(columns));
      await client.query('COMMIT');
    } catch (error) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private createSql(columns: Column[]): string {
    const definitions = columns.map((column) => `${pg.escapeIdentifier(column.name)} ${column.type}${column.name === jobIdColumn ? ' PRIMARY KEY' : ''}`);
    return `CREATE TABLE IF NOT EXISTS ${this.quotedTable} (${definitions.join(', ')})`;
  }

  private configFailure(message: string, details: Record<string, unknown>): BreakwaterError {
    return new BreakwaterError('SINK_FAILED', message, { retryable: false, details: { table: this.table, ...details } });
  }

  /**
   * Maps a pg or socket failure to SINK_FAILED. The message is the tenant's (it lands in the
   * job's error): the class of failure and the fix, never the host, database, user or the
   * driver's text, which name them; operators get those through `onError`.
   */
  private failure(error: unknown): BreakwaterError {
    if (BreakwaterError.isInstance(error)) return error;
    const state = sqlState(error);
    const reason = this.scrub((error instanceof Error && error.message) || state || String(error));
    const safeCause = this.password === undefined || !String(error instanceof Error ? error.stack : error).includes(this.password) ? error : undefined;
    this.onError?.(safeCause ?? new Error(reason), { table: this.table, server: this.server, sqlState: state || null, reason });
    const fail = (message: string, retryable: boolean) =>
      new BreakwaterError('SINK_FAILED', `${message} Operators see the details in the server log.`, {
        retryable,
        cause: safeCause,
        details: { table: this.table, sqlState: state || null },
      });
    const code = state === '' ? '' : ` (${state})`;
    if (transportErrorCodes.has(state) || state.startsWith('08') || state.startsWith('53') || (state === '' && /timeout|terminated|connection/i.test(reason))) {
      return fail(
        `The PostgreSQL sink could not connect: its server did not answer or dropped the connection${code}; the job will be retried. Check that the sink's server is up and reachable from Breakwater.`,
        true,
      );
    }
    if (transientSqlStates.has(state))
      return fail(`The PostgreSQL sink could not insert into table ${this.table}: the write was interrupted${code}; the job will be retried.`, true);
    if (state.startsWith('28'))
      return fail(`The PostgreSQL sink could not connect: its server rejected the credentials${code}; fix the user and password in the sink's url secret.`, false);
    if (state === '3D000') return fail(`The PostgreSQL sink could not connect: its database does not exist${code}; fix the database name in the sink's url secret.`, false);
    if (state === '3F000')
      return fail(
        `The PostgreSQL sink could not insert into table ${this.table}: its schema does not exist${code}; create it with CREATE SCHEMA ${this.quotedTable.split('.')[0]}; or change the sink's table.`,
        false,
      );
    if (state === '42501')
      return fail(
        `The PostgreSQL sink could not insert into table ${this.table}: permission denied${code}; grant the sink's user CREATE on the schema and INSERT on the table.`,
        false,
      );
    if (state === '42P10')
      return fail(
        `Table ${this.table} has no unique constraint on ${jobIdColumn}, which keeps a redelivered job from writing twice; run: ALTER TABLE ${this.quotedTable} ADD UNIQUE (${jobIdColumn});`,
        false,
      );
    // Data errors: the driver's text is about the record's values and the table's columns.
    if (/^(22|23|42)/.test(state))
      return fail(
        `The PostgreSQL sink could not insert into table ${this.table}: the record was rejected (${state}: ${reason}); check that the table's column types match the pipeline's schema.`,
        false,
      );
    return fail(`The PostgreSQL sink could not insert into table ${this.table}${code}; the job will be retried.`, true);
  }

  private scrub(text: string): string {
    return this.password ? text.split(this.password).join('***') : text;
  }
}

/** `host:port/database` for messages, and the password so that messages can be scrubbed of it. */
function describeServer(connectionString: string): { server: string; password: string | undefined } {
  try {
    const url = new URL(connectionString);
    const host = url.searchParams.get('host') ?? (decodeURIComponent(url.hostname) || 'localhost');
    const database = url.searchParams.get('dbname') ?? (decodeURIComponent(url.pathname.slice(1)) || 'the default database');
    const password = url.searchParams.get('password') ?? (url.password ? decodeURIComponent(url.password) : undefined);
    return { server: `${host}:${url.port || '5432'}/${database}`, password: password || undefined };
  } catch {
    return { server: 'the configured server', password: undefined };
  }
}
