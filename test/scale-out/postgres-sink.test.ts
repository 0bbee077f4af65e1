import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { BreakwaterError } from '../../src/core/errors/breakwater-error.js';
import type { RecordProvenance, SinkWrite } from '../../src/core/ports/record-sink.js';
import { PostgresSink, type PostgresSinkOptions } from '../../src/adapters/sinks/postgres/postgres-sink.js';
import { postgresSinkConfigSchema } from '../../src/config/postgres-sink-config.js';

const connectionString = process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const runId = randomBytes(4).toString('hex');
/** Every table lives in this schema, so `after` drops them all at once. */
const testSchema = `bw_sink_test_${runId}`;
const publicTable = `bw_sink_test_${runId}_plain`;
let tableCount = 0;
const freshTable = (): string => `${testSchema}.t${++tableCount}`;

const manifestSchema = {
  type: 'object',
  properties: {
    carrierName: { type: 'string' },
    shipDate: { type: 'string', format: 'date' },
    scannedAt: { type: 'string', format: 'date-time' },
    parcelCount: { type: 'integer' },
    weightKg: { type: 'number' },
    hazardous: { type: 'boolean' },
    address: { type: 'object', properties: { city: { type: 'string' } } },
    lines: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
    reference: { type: ['string', 'number'] },
    note: { type: ['string', 'null'] },
    'HTTP Status-2': { type: 'integer' },
  },
};

function provenance(jobId: string): RecordProvenance {
  return {
    jobId,
    tenant: 'acme',
    pipeline: 'manifests',
    promptVersion: 3,
    model: 'gpt-test',
    deployment: 'primary',
    attempts: 1,
    inputTokens: 1200,
    outputTokens: 340,
    costUsd: 0.00123,
    source: 'manifest-0001.pdf',
    createdAt: Date.parse('2025-03-04T05:06:07.000Z'),
  };
}

function sinkWrite(jobId: string, record: Record<string, unknown> = { carrierName: 'Maersk', parcelCount: 2 }, schema: Record<string, unknown> = manifestSchema): SinkWrite {
  return { record, provenance: provenance(jobId), schema };
}

const admin = new pg.Pool({ connectionString, max: 2 });
const sinks: PostgresSink[] = [];
function openSink(options: Partial<PostgresSinkOptions> & { table: string }): PostgresSink {
  const sink = new PostgresSink({ connectionString, createTable: true, ...options });
  sinks.push(sink);
  return sink;
}

async function rowCount(table: string): Promise<number> {
  const quoted = table
    .split('.')
    .map((part) => pg.escapeIdentifier(part))
    .join('.');
  const result = await admin.query<{ count: string }>(`SELECT count(*) AS count FROM ${quoted}`);
  return Number(result.rows[0]!.count);
}

function isSinkFailure(error: unknown): error is BreakwaterError {
  return BreakwaterError.isInstance(error) && error.code === 'SINK_FAILED';
}

describe('PostgresSink against a real PostgreSQL', () => {
  before(async () => {
    await admin.query(`CREATE SCHEMA ${pg.escapeIdentifier(testSchema)}`);
  });

  after(async () => {
    await Promise.all(sinks.map((sink) => sink.close()));
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(testSchema)} CASCADE`);
    await admin.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(publicTable)}`);
    await admin.end();
  });

  test('creates the table with a column per schema property, typed from the schema, plus provenance columns', async () => {
    const table = freshTable();
    const sink = openSink({ table, columns: { weightKg: 'weight' } });
    assert.equal(await sink.write(sinkWrite('job-types')), true);

    const result = await admin.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      table.split('.'),
    );
    const types = Object.fromEntries(result.rows.map((row) => [row.column_name, row.data_type]));
    assert.deepEqual(types, {
      _bw_job_id: 'text',
      carrier_name: 'text',
      ship_date: 'date',
      scanned_at: 'timestamp with time zone',
      parcel_count: 'bigint',
      weight: 'numeric',
      hazardous: 'boolean',
      address: 'jsonb',
      lines: 'jsonb',
      reference: 'jsonb',
      note: 'text',
      http_status_2: 'bigint',
      _bw_tenant: 'text',
      _bw_pipeline: 'text',
      _bw_prompt_version: 'integer',
      _bw_model: 'text',
      _bw_deployment: 'text',
      _bw_attempts: 'integer',
      _bw_input_tokens: 'integer',
      _bw_output_tokens: 'integer',
      _bw_cost_usd: 'numeric',
      _bw_source: 'text',
      _bw_created_at: 'timestamp with time zone',
    });
    const primaryKey = await admin.query<{ column_name: string }>(
      `SELECT kcu.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
       WHERE tc.table_schema = $1 AND tc.table_name = $2 AND tc.constraint_type = 'PRIMARY KEY'`,
      table.split('.'),
    );
    assert.deepEqual(
      primaryKey.rows.map((row) => row.column_name),
      ['_bw_job_id'],
    );
  });

  test('writes a record with nested arrays as jsonb, a date as a date and the provenance', async () => {
    const table = freshTable();
    const sink = openSink({ table });
    const record = {
      carrierName: 'Maersk',
      shipDate: '2025-02-28',
      scannedAt: '2025-02-28T10:15:00Z',
      parcelCount: 3,
      weightKg: 12.75,
      hazardous: false,
      address: { city: 'Rotterdam', lines: ['Quay 4', 'Gate B'] },
      lines: [[1, 2.5], [], [3]],
      reference: 'REF-9',
    };
    assert.equal(await sink.write(sinkWrite('job-values', record)), true);

    const quoted = table
      .split('.')
      .map((part) => pg.escapeIdentifier(part))
      .join('.');
    const result = await admin.query(
      `SELECT carrier_name, ship_date::text AS ship_date, scanned_at = '2025-02-28T10:15:00Z'::timestamptz AS scanned_ok, parcel_count::int AS parcel_count,
              weight_kg::text AS weight_kg, hazardous, address, lines, reference, note,
              _bw_job_id, _bw_tenant, _bw_pipeline, _bw_prompt_version, _bw_model, _bw_deployment, _bw_attempts,
              _bw_input_tokens, _bw_output_tokens, _bw_cost_usd::text AS _bw_cost_usd, _bw_source,
              _bw_created_at = '2025-03-04T05:06:07Z'::timestamptz AS created_ok
       FROM ${quoted}`,
    );
    assert.deepEqual(result.rows, [
      {
        carrier_name: 'Maersk',
        ship_date: '2025-02-28',
        scanned_ok: true,
        parcel_count: 3,
        weight_kg: '12.75',
        hazardous: false,
        address: { city: 'Rotterdam', lines: ['Quay 4', 'Gate B'] },
        lines: [[1, 2.5], [], [3]],
        reference: 'REF-9',
        note: null,
        _bw_job_id: 'job-values',
        _bw_tenant: 'acme',
        _bw_pipeline: 'manifests',
        _bw_prompt_version: 3,
        _bw_model: 'gpt-test',
        _bw_deployment: 'primary',
        _bw_attempts: 1,
        _bw_input_tokens: 1200,
        _bw_output_tokens: 340,
        _bw_cost_usd: '0.00123',
        _bw_source: 'manifest-0001.pdf',
        created_ok: true,
      },
    ]);
  });

  test('the same job written twice leaves one row, and the second write returns false', async () => {
    const sink = openSink({ table: publicTable });
    assert.equal(await sink.write(sinkWrite('job-twice')), true);
    assert.equal(await sink.write(sinkWrite('job-twice', { carrierName: 'Other' })), false);
    assert.equal(await rowCount(publicTable), 1);
  });

  test('20 concurrent writes of the same job leave exactly one row', async () => {
    const table = freshTable();
    const sink = openSink({ table, poolSize: 8 });
    const results = await Promise.all(Array.from({ length: 20 }, () => sink.write(sinkWrite('job-concurrent'))));
    assert.equal(results.filter(Boolean).length, 1);
    assert.equal(await rowCount(table), 1);
  });

  test('concurrent first writes of different jobs on a fresh table, from several processes, do not race into an error', async () => {
    const table = freshTable();
    // Separate sinks stand in for separate processes: each creates the table on its own first write.
    const processes = Array.from({ length: 4 }, () => openSink({ table, poolSize: 3 }));
    const writes = processes.flatMap((sink, process) => Array.from({ length: 5 }, (_, index) => sink.write(sinkWrite(`job-${process}-${index}`))));
    const results = await Promise.all(writes);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, () => true),
    );
    assert.equal(await rowCount(table), 20);
  });

  test('an existing table missing a column fails with SINK_FAILED naming the column and the ALTER TABLE to run', async () => {
    const table = freshTable();
    const quoted = table
      .split('.')
      .map((part) => pg.escapeIdentifier(part))
      .join('.');
    const schema = { type: 'object', properties: { carrierName: { type: 'string' }, parcelCount: { type: 'integer' } } };
    await admin.query(`CREATE TABLE ${quoted} (
      _bw_job_id text PRIMARY KEY, carrier_name text, _bw_tenant text, _bw_pipeline text, _bw_prompt_version int, _bw_model text,
      _bw_deployment text, _bw_attempts int, _bw_input_tokens int, _bw_output_tokens int, _bw_cost_usd numeric, _bw_source text, _bw_created_at timestamptz)`);
    const sink = openSink({ table });

    const failure = await sink.write(sinkWrite('job-missing', { carrierName: 'Maersk', parcelCount: 1 }, schema)).then(
      () => assert.fail('the write should have failed'),
      (error: unknown) => error,
    );
    assert.ok(isSinkFailure(failure), String(failure));
    assert.equal(failure.retryable, false);
    assert.match(failure.message, new RegExp(table.replace('.', '\\.')));
    assert.match(failure.message, /"parcel_count"/);
    const alter = /ALTER TABLE .*;/.exec(failure.message)?.[0];
    assert.equal(alter, `ALTER TABLE ${quoted} ADD COLUMN "parcel_count" bigint;`);
    assert.equal(await rowCount(table), 0);

    // Running the statement the message gives is all the user has to do.
    await admin.query(alter);
    assert.equal(await sink.write(sinkWrite('job-missing', { carrierName: 'Maersk', parcelCount: 1 }, schema)), true);
  });

  test('a missing table with createTable false fails without creating it, and says how to create it', async () => {
    const table = freshTable();
    const sink = openSink({ table, createTable: false });
    await assert.rejects(sink.write(sinkWrite('job-no-table')), (error: unknown) => {
      assert.ok(isSinkFailure(error));
      assert.equal(error.retryable, false);
      assert.match(error.message, /does not exist/);
      assert.match(error.message, /CREATE TABLE IF NOT EXISTS/);
      return true;
    });
    const exists = await admin.query('SELECT to_regclass($1) AS oid', [table]);
    assert.equal(exists.rows[0].oid, null);
  });

  test('an unreachable server fails with a retryable SINK_FAILED that says what to check, without host, database, user or password (the tenant used to see host and database)', async () => {
    const password = 'hunter2-Secret';
    const logged: Array<{ server: string; reason: string }> = [];
    const sink = openSink({
      table: freshTable(),
      connectionString: `postgres://writer:${password}@127.0.0.1:1/shipping_db`,
      onError: (_error, context) => logged.push(context),
    });
    await assert.rejects(sink.write(sinkWrite('job-unreachable')), (error: unknown) => {
      assert.ok(isSinkFailure(error), String(error));
      assert.equal(error.retryable, true);
      assert.match(error.message, /^The PostgreSQL sink could not connect: .*ECONNREFUSED.*the job will be retried.*Operators see the details in the server log\.$/);
      for (const hidden of ['127.0.0.1', 'shipping_db', 'writer', password]) {
        assert.ok(!error.message.includes(hidden), `${hidden} in: ${error.message}`);
        assert.ok(!JSON.stringify(error.details).includes(hidden), `${hidden} in: ${JSON.stringify(error.details)}`);
      }
      return true;
    });
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.server, '127.0.0.1:1/shipping_db', 'operators get the server in the log');
    assert.ok(!JSON.stringify(logged).includes(password));
  });

  test('a database or user that does not exist fails for good, saying which setting to fix without naming it', async () => {
    const logged: string[] = [];
    const missingDatabase = new URL(connectionString);
    missingDatabase.pathname = `/bw_no_such_db_${runId}`;
    const missingUser = new URL(connectionString);
    missingUser.username = `bw_no_such_user_${runId}`;
    for (const [url, pattern] of [
      [missingDatabase, /database does not exist \(3D000\); fix the database name in the sink's url secret/],
      [missingUser, /rejected the credentials \(28\w+\); fix the user and password/],
    ] as const) {
      const sink = openSink({ table: freshTable(), connectionString: url.toString(), onError: (_error, context) => logged.push(context.reason) });
      await assert.rejects(sink.write(sinkWrite(`job-missing-${runId}`)), (error: unknown) => {
        assert.ok(isSinkFailure(error), String(error));
        assert.equal(error.retryable, false);
        assert.match(error.message, pattern);
        assert.ok(!error.message.includes(runId), error.message);
        return true;
      });
    }
    assert.ok(logged.some((reason) => reason.includes(`bw_no_such_db_${runId}`)) && logged.some((reason) => reason.includes(`bw_no_such_user_${runId}`)), logged.join('\n'));
  });
});

describe('postgresSinkConfigSchema', () => {
  test('accepts a secret reference url, a schema-qualified table and column overrides', () => {
    const parsed = postgresSinkConfigSchema.parse({ type: 'postgres', url: { env: 'SHIPPING_DB_URL' }, table: 'shipping.manifests', columns: { weightKg: 'weight' } });
    assert.equal(parsed.table, 'shipping.manifests');
  });

  test('rejects a literal url, an unsafe table name and a column in the reserved _bw_ namespace', () => {
    assert.equal(postgresSinkConfigSchema.safeParse({ type: 'postgres', url: 'postgres://u:p@h/d', table: 'manifests' }).success, false);
    assert.equal(postgresSinkConfigSchema.safeParse({ type: 'postgres', url: { env: 'X' }, table: 'manifests; drop table x' }).success, false);
    assert.equal(postgresSinkConfigSchema.safeParse({ type: 'postgres', url: { env: 'X' }, table: 'manifests', columns: { a: '_bw_job_id' } }).success, false);
  });
});
