/**
 * bench:workflows — 1,000 concurrent workflow runs on the embedded shape (one process, one
 * SQLite file, the mock model), each taking a model step, a tool call and pausing for an
 * approval; then every approval is given in one burst. Reports steps/s (journal entries
 * written per second of wall time), store bytes per paused run (the SQLite file's growth,
 * every table included: runs, journals, approvals, advance jobs and their events),
 * approval-to-next-step latency (decision recorded → the approved tool running), and the
 * same run's baseline: chat jobs through the same queue and worker. Last line: one JSON object.
 *
 *   npm run bench:workflows [-- --runs=1000 --concurrency=64]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { VirtualKey } from '../../src/core/ports/store.js';
import { defineWorkflow } from '../../src/core/workflows/definition.js';

const argument = (name: string, fallback: string) => process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const runs = Number(argument('runs', '1000'));
const concurrency = Number(argument('concurrency', '64'));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** When the approved tool ran, by run id. */
const resumedAt = new Map<string, number>();

type Context = { input: { ticket: number }; order?: unknown; [key: string]: unknown };
const bench = defineWorkflow<Context>({
  name: 'bench-refund',
  version: 1,
  initial: 'classify',
  tools: {
    lookup: {
      args: { type: 'object', properties: { ticket: { type: 'number' } }, required: ['ticket'] },
      result: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] },
      run: async (args: { ticket: number }) => ({ total: 100 + (args.ticket % 50) }),
    },
    refund: {
      args: { type: 'object', properties: { ticket: { type: 'number' }, amount: { type: 'number' } }, required: ['ticket', 'amount'] },
      result: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      approval: true,
      run: async (_args, call) => {
        resumedAt.set(call.runId, performance.now());
        return { ok: true };
      },
    },
  },
  states: {
    classify: { decide: { model: 'mock', instructions: 'Is this a refund request?', transitions: { lookup: {}, close: {} } } },
    lookup: { call: { tool: 'lookup', args: (context) => ({ ticket: context.input.ticket }), next: 'refund' } },
    refund: { call: { tool: 'refund', args: (context) => ({ ticket: context.input.ticket, amount: 10 }), next: 'close' } },
    close: { final: 'succeeded' },
  },
});

function fileBytes(path: string): number {
  const database = new Database(path);
  database.pragma('wal_checkpoint(TRUNCATE)');
  const pages = database.pragma('page_count', { simple: true }) as number;
  const free = database.pragma('freelist_count', { simple: true }) as number;
  const size = database.pragma('page_size', { simple: true }) as number;
  database.close();
  return (pages - free) * size;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function openApp(folder: string): Promise<{ app: App; key: VirtualKey; path: string }> {
  const path = join(folder, 'bench.db');
  const configPath = join(folder, 'breakwater.yaml');
  writeFileSync(
    configPath,
    JSON.stringify({
      store: { driver: 'sqlite', path },
      providers: { mock: { type: 'mock' } },
      models: { mock: { deployments: [{ provider: 'mock', model: 'mock' }] } },
      jobs: { concurrency, pollMs: 20, maxQueuedPerTenant: 100_000 },
      log: { level: 'warn', requests: false },
    }),
  );
  const app = await createApp(loadConfig({ path: configPath, env: {} }), { logger: pino({ level: 'warn' }), workflows: [bench as never] });
  const { key } = await app.keys.create({ name: 'bench' });
  return { app, key, path };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'breakwater-bench-workflows-'));
  const { app, key, path } = await openApp(folder);
  try {
    // Baseline: chat jobs on the mock through the same queue and worker, same process.
    const baselineStart = performance.now();
    const jobIds: string[] = [];
    for (let index = 0; index < runs; index++) {
      jobIds.push((await app.jobs.submit(key, { kind: 'chat', request: { model: 'mock', messages: [{ role: 'user', content: `ticket ${index}` }] } } as never, undefined)).job.id);
    }
    await waitUntil(async () => (await app.store.jobs.countQueued()).total === 0, 120_000, 'the baseline jobs');
    const baselineSeconds = (performance.now() - baselineStart) / 1000;
    const baselineJobsPerSecond = runs / baselineSeconds;
    log(`baseline: ${runs} chat jobs in ${baselineSeconds.toFixed(2)} s`);

    const bytesBefore = fileBytes(path);
    const started = performance.now();
    const ids: string[] = [];
    for (let index = 0; index < runs; index++) ids.push((await app.workflows.start(key, 'bench-refund', { input: { ticket: index } }, undefined)).run.id);
    await waitUntil(
      async () =>
        (await app.store.workflows.listApprovals(key.tenant, { status: 'pending', limit: 1, workflow: 'bench-refund' })).data.length > 0 &&
        (await app.store.jobs.countQueued()).total === 0,
      300_000,
      'every run paused',
    );
    const pausedSeconds = (performance.now() - started) / 1000;
    const pending: string[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await app.store.workflows.listApprovals(key.tenant, { status: 'pending', limit: 100, ...(cursor ? { cursor } : {}) });
      pending.push(...page.data.map((approval) => approval.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    if (pending.length !== runs) throw new Error(`${pending.length} of ${runs} runs paused`);
    const pausedSteps = runs * 4;
    const bytesPerPausedRun = (fileBytes(path) - bytesBefore) / runs;
    log(`${runs} runs paused in ${pausedSeconds.toFixed(2)} s (${pausedSteps} steps)`);

    // The burst: every approval at once; latency = decision recorded → the approved tool running.
    const decidedAt = new Map<string, number>();
    const approvals = await Promise.all(pending.map((id) => app.store.workflows.getApproval(id)));
    const burstStart = performance.now();
    await Promise.all(
      approvals.map(async (approval) => {
        await app.workflows.decide(key.tenant, approval!.id, { decision: 'approve', by: 'bench' });
        decidedAt.set(approval!.runId, performance.now());
      }),
    );
    await waitUntil(async () => (await app.store.jobs.countQueued()).total === 0 && resumedAt.size === runs, 300_000, 'every run resumed');
    const burstSeconds = (performance.now() - burstStart) / 1000;
    const done = await app.store.workflows.listRuns(key.tenant, { status: 'succeeded', limit: 100, workflow: 'bench-refund' });
    if (done.data.length === 0) throw new Error('no run succeeded');
    const latencies = ids.map((id) => resumedAt.get(id)! - decidedAt.get(id)!);
    const resumeSteps = runs * 4;
    const stepsPerSecond = (pausedSteps + resumeSteps) / (pausedSeconds + burstSeconds);

    const rows = [
      ['measure', 'value', 'ratio to baseline'],
      ['baseline: chat jobs/s (same queue, worker, mock)', baselineJobsPerSecond.toFixed(0), '1.00'],
      ['workflow steps/s (start → paused → approved → done)', stepsPerSecond.toFixed(0), (stepsPerSecond / baselineJobsPerSecond).toFixed(2)],
      ['runs paused', String(pending.length), ''],
      ['store bytes per paused run', bytesPerPausedRun.toFixed(0), ''],
      ['approval → next step p50 ms', percentile(latencies, 50).toFixed(1), ''],
      ['approval → next step p99 ms', percentile(latencies, 99).toFixed(1), ''],
      ['burst: approvals recorded + runs finished, s', burstSeconds.toFixed(2), ''],
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}\n`);
    process.stdout.write(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}; concurrency ${concurrency}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({
        paused_runs: pending.length,
        bytes_per_paused_run: Math.round(bytesPerPausedRun),
        resume_p99_ms: Number(percentile(latencies, 99).toFixed(1)),
        resume_p50_ms: Number(percentile(latencies, 50).toFixed(1)),
        steps_per_s: Math.round(stepsPerSecond),
        baseline_chat_jobs_per_s: Math.round(baselineJobsPerSecond),
      })}\n`,
    );
  } finally {
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
