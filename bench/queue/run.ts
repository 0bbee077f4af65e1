/**
 * bench:queue — how many jobs a second the embedded job engine (one process, one SQLite file)
 * carries end to end, next to what the same file can do with raw inserts, selects and deletes
 * measured in the same run. Progress goes to stderr; the report goes to stdout and ends with
 * one JSON line. See README.md in this folder.
 *
 *   npm run bench:queue [-- --jobs=20000 --concurrency=64 --http-jobs=5000]
 *   (--concurrency=16,64,256 runs end to end once per value and reports the best;
 *    --only=end-to-end skips the other measures, for node --cpu-prof)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { Pool } from 'undici';
import { createApp, type App, type Role } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { VirtualKey } from '../../src/core/ports/store.js';
import { buildServer } from '../../src/http/server.js';
import { submitJobSchema, type SubmitJob } from '../../src/wire/jobs.js';

const argument = (name: string, fallback: string) => process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const settings = {
  jobs: Number(argument('jobs', '20000')),
  /** 16 reached ~1,800, 64 ~2,500, 256 ~2,800 jobs/s here: the default runs the last two. */
  concurrencies: argument('concurrency', '64,256').split(',').map(Number),
  httpJobs: Number(argument('http-jobs', '5000')),
  /** `end-to-end` skips the other measures (for profiling with --cpu-prof). */
  only: argument('only', ''),
  httpConcurrency: 32,
  /** Submissions in flight at once when calling JobService.submit directly. */
  submitInFlight: 512,
  floorBatch: 512,
};
const log = (line: string) => process.stderr.write(`${line}\n`);
const expectedEvents = 'job-queued,job-start,job-end';

interface Bench {
  app: App;
  key: VirtualKey;
  secret: string;
  databasePath: string;
  close(): Promise<void>;
}

/** A Breakwater app on a fresh SQLite file, with the in-process mock provider answering at once. */
async function startApp(role: Role, concurrency: number): Promise<Bench> {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-bench-queue-'));
  const databasePath = join(folder, 'breakwater.db');
  const path = join(folder, 'breakwater.yaml');
  writeFileSync(
    path,
    JSON.stringify({
      store: { driver: 'sqlite', path: databasePath },
      providers: { mock: { type: 'mock', latencyMs: 0 } },
      models: { mock: { deployments: [{ provider: 'mock', model: 'mock-chat' }] } },
      jobs: { concurrency, maxQueued: 1_000_000, maxQueuedPerTenant: 1_000_000 },
      log: { level: 'silent', requests: false },
    }),
  );
  const app = await createApp(loadConfig({ path, env: {} }), { role, logger: pino({ level: 'silent' }) });
  const { key, secret } = await app.keys.create({ name: 'bench' });
  return {
    app,
    key,
    secret,
    databasePath,
    close: async () => {
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Distinct prompts, so the exact-match cache never answers in the provider's place. */
function chatJob(index: number): SubmitJob {
  return submitJobSchema.parse({ kind: 'chat', request: { model: 'mock', messages: [{ role: 'user', content: `bench job ${index}` }] } });
}

/** Calls JobService.submit for every body, `inFlight` at a time; resolves with the ids. */
async function submitAll(bench: Bench, bodies: readonly SubmitJob[], inFlight: number): Promise<string[]> {
  const ids: string[] = new Array(bodies.length);
  let next = 0;
  const lanes = Array.from({ length: inFlight }, async () => {
    while (next < bodies.length) {
      const index = next++;
      ids[index] = (await bench.app.jobs.submit(bench.key, bodies[index]!, undefined)).job.id;
    }
  });
  await Promise.all(lanes);
  return ids;
}

interface EndToEnd {
  concurrency: number;
  seconds: number;
  jobsPerSecond: number;
  submitSeconds: number;
  violations: string[];
}

/** Submit → transaction with queue item → claim → chat job through the gateway → job-end → item removed. */
async function endToEnd(concurrency: number): Promise<EndToEnd> {
  const bench = await startApp('all', concurrency);
  try {
    const bodies = Array.from({ length: settings.jobs }, (_, index) => chatJob(index));
    const startedAt = Date.now();
    const started = performance.now();
    const ids = await submitAll(bench, bodies, settings.submitInFlight);
    const submitSeconds = (performance.now() - started) / 1000;
    // The queue is empty once every job's last step (removing its item) has committed. The
    // timing comes from the last job-end event, so the poll only needs to be cheap, not quick.
    const database = new Database(bench.databasePath, { readonly: true });
    try {
      const anyItem = database.prepare(`SELECT 1 FROM queue_items LIMIT 1`).pluck();
      while (anyItem.get() !== undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      const lastEnd = database.prepare(`SELECT max(at) FROM job_events WHERE type = 'job-end'`).pluck().get() as number;
      const seconds = (lastEnd - startedAt) / 1000;
      return { concurrency, seconds, jobsPerSecond: ids.length / seconds, submitSeconds, violations: verify(database, ids) };
    } finally {
      database.close();
    }
  } finally {
    await bench.close();
  }
}

/** Every job succeeded, with exactly its four events in order. */
function verify(database: Database.Database, ids: readonly string[]): string[] {
  const violations: string[] = [];
  const statuses = new Map((database.prepare(`SELECT id, status FROM jobs`).all() as Array<{ id: string; status: string }>).map((row) => [row.id, row.status]));
  const events = new Map(
    (
      database.prepare(`SELECT job_id, group_concat(type) AS types FROM (SELECT job_id, type FROM job_events ORDER BY job_id, seq) GROUP BY job_id`).all() as Array<{
        job_id: string;
        types: string;
      }>
    ).map((row) => [row.job_id, row.types]),
  );
  for (const id of ids) {
    const status = statuses.get(id);
    if (status !== 'succeeded') violations.push(`${id}: status ${status ?? 'missing'}`);
    const types = events.get(id);
    if (types !== expectedEvents) violations.push(`${id}: events ${types ?? 'none'}`);
  }
  const leftover = database.prepare(`SELECT count(*) FROM queue_items`).pluck().get() as number;
  if (leftover > 0) violations.push(`${leftover} queue items left`);
  return violations;
}

/** JobService.submit alone (role api: no worker claims anything). */
async function submitOnly(): Promise<number> {
  const bench = await startApp('api', 1);
  try {
    const bodies = Array.from({ length: settings.jobs }, (_, index) => chatJob(index));
    const started = performance.now();
    await submitAll(bench, bodies, settings.submitInFlight);
    return settings.jobs / ((performance.now() - started) / 1000);
  } finally {
    await bench.close();
  }
}

/** POST /v1/jobs through a listening server (same process, role api), undici keep-alive pool. */
async function httpSubmit(): Promise<number> {
  const bench = await startApp('api', 1);
  const server = await buildServer(bench.app);
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const pool = new Pool(address, { connections: settings.httpConcurrency, pipelining: 1 });
  try {
    const headers = { authorization: `Bearer ${bench.secret}`, 'content-type': 'application/json' };
    const send = async (index: number) => {
      const body = JSON.stringify({ kind: 'chat', request: { model: 'mock', messages: [{ role: 'user', content: `http job ${index}` }] } });
      const response = await pool.request({ method: 'POST', path: '/v1/jobs', headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 202) throw new Error(`POST /v1/jobs answered ${response.statusCode}: ${text}`);
    };
    for (let index = 0; index < 200; index++) await send(-index - 1); // warm up the route and connections
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.httpConcurrency }, async () => {
        while (next < settings.httpJobs) await send(next++);
      }),
    );
    return settings.httpJobs / ((performance.now() - started) / 1000);
  } finally {
    await pool.close();
    await server.close();
    await bench.close();
  }
}

/**
 * The floor: the same number of queue-item rows inserted, selected and deleted with raw
 * better-sqlite3 in batched transactions, on a file with the store's pragmas.
 */
function sqliteFloor(rows: number): number {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-bench-floor-'));
  const database = new Database(join(folder, 'floor.db'));
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.exec(`CREATE TABLE items (id TEXT PRIMARY KEY, tenant TEXT NOT NULL, run_at INTEGER NOT NULL, body TEXT NOT NULL)`);
    const insert = database.prepare(`INSERT INTO items (id, tenant, run_at, body) VALUES (?, ?, ?, ?)`);
    const select = database.prepare(`SELECT id, tenant, run_at, body FROM items WHERE id = ?`);
    const remove = database.prepare(`DELETE FROM items WHERE id = ?`);
    const ids = Array.from({ length: rows }, (_, index) => `job_${index.toString(36).padStart(8, '0')}${index * 7919}`);
    const batched = (work: (id: string) => void) => {
      const run = database.transaction((batch: string[]) => {
        for (const id of batch) work(id);
      });
      for (let start = 0; start < ids.length; start += settings.floorBatch) run(ids.slice(start, start + settings.floorBatch));
    };
    const started = performance.now();
    batched((id) => insert.run(id, 'bench', Date.now(), `{"model":"mock","content":"${id}"}`));
    batched((id) => select.get(id));
    batched((id) => remove.run(id));
    return rows / ((performance.now() - started) / 1000);
  } finally {
    database.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  log(`bench:queue: ${settings.jobs} jobs, concurrency ${settings.concurrencies.join(', ')}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`);
  const all = settings.only !== 'end-to-end';
  log('sqlite floor…');
  const floor = sqliteFloor(settings.jobs);
  if (all) log('submit only…');
  const submitPerSecond = all ? await submitOnly() : Number.NaN;
  if (all) log('http submit…');
  const httpPerSecond = all ? await httpSubmit() : Number.NaN;
  const runs: EndToEnd[] = [];
  for (const concurrency of settings.concurrencies) {
    log(`end to end, concurrency ${concurrency}…`);
    runs.push(await endToEnd(concurrency));
  }
  const best = runs.reduce((a, b) => (b.jobsPerSecond > a.jobsPerSecond ? b : a));
  const violations = runs.flatMap((run) => run.violations.map((violation) => `concurrency ${run.concurrency}: ${violation}`));

  const lines = [
    `bench:queue — embedded engine (one process, one SQLite file), ${settings.jobs} jobs, mock provider latency 0`,
    '',
    `| measure                                              | rate/s     | note`,
    `|------------------------------------------------------|-----------:|------`,
    `| SQLite floor: insert+select+delete, batches of ${String(settings.floorBatch).padEnd(6)}|${rate(floor).padStart(11)} | raw better-sqlite3, same pragmas`,
    `| JobService.submit only (role api)                    |${rate(submitPerSecond).padStart(11)} | ${settings.submitInFlight} in flight`,
    `| POST /v1/jobs over HTTP (undici, ${settings.httpConcurrency} connections)     |${rate(httpPerSecond).padStart(11)} | ${settings.httpJobs} jobs, client in the same process`,
    ...runs.map(
      (run) =>
        `| end to end, jobs.concurrency ${String(run.concurrency).padEnd(24)}|${rate(run.jobsPerSecond).padStart(11)} | ${run.seconds.toFixed(2)} s (submits done at ${run.submitSeconds.toFixed(2)} s)`,
    ),
    '',
    `end to end (best: concurrency ${best.concurrency}) = ${(best.jobsPerSecond / floor).toFixed(3)} x the SQLite floor; target 5,000 jobs/s: ${best.jobsPerSecond >= 5000 ? 'met' : 'NOT met'}`,
    `verification: ${violations.length === 0 ? `every job succeeded with exactly ${expectedEvents}` : `${violations.length} violations, first: ${violations.slice(0, 5).join('; ')}`}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      jobs: settings.jobs,
      jobs_per_s: Math.round(best.jobsPerSecond),
      concurrency: best.concurrency,
      submit_per_s: Math.round(submitPerSecond),
      http_submit_per_s: Math.round(httpPerSecond),
      sqlite_floor_ops_per_s: Math.round(floor),
      ratio_to_floor: Number((best.jobsPerSecond / floor).toFixed(4)),
      runs: runs.map((run) => ({ concurrency: run.concurrency, jobs_per_s: Math.round(run.jobsPerSecond) })),
      violations: violations.length,
    })}\n`,
  );
}

await main();
