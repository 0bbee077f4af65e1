/**
 * bench:shadow — does shadow mode measure what it claims, and does it leave the caller alone?
 *
 * One mock model in its own process (20 ms per answer); two Breakwater apps in this process on
 * their own SQLite files, one without a shadow and one shadowing every other call of `primary`
 * with `candidate`, which gets a known 15% of fields wrong (truth.ts) and writes the others in
 * another spelling that still agrees. Both take the same paced load in alternating rounds, so
 * the machine's noise falls on both. Reports the caller's latency with shadow on and off, the
 * agreement the shadow report states against the truth, and whether any caller answer changed.
 * Last line: one JSON object.
 *
 *   npm run bench:shadow [-- --requests=600 --rate=100 --rounds=3]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pino from 'pino';
import { Pool } from 'undici';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { shadowReport } from '../../src/core/shadow/shadow-report.js';
import { buildServer } from '../../src/http/server.js';
import { primaryRecord, trueAgreement } from './truth.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const argument = (name: string, fallback: number) => Number(process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const settings = { requests: argument('requests', 600), rate: argument('rate', 100), rounds: argument('rounds', 3), sampleRate: 0.5, upstreamLatencyMs: 20 };
const log = (line: string) => process.stderr.write(`${line}\n`);

const upstream = spawn(process.execPath, ['--import', 'tsx', join(benchDirectory, 'upstream-server.ts'), String(settings.upstreamLatencyMs)], {
  cwd: resolve(benchDirectory, '../..'),
  stdio: ['ignore', 'pipe', 'inherit'],
});
const upstreamPort = Number((await createInterface({ input: upstream.stdout })[Symbol.asyncIterator]().next()).value);
const folder = mkdtempSync(join(tmpdir(), 'bench-shadow-'));

interface Target {
  name: 'off' | 'on';
  app: App;
  pool: Pool;
  key: string;
  close(): Promise<void>;
}

async function start(name: 'off' | 'on'): Promise<Target> {
  const config = {
    store: { driver: 'sqlite', path: join(folder, `${name}.db`) },
    providers: { upstream: { type: 'openai-compatible', baseUrl: `http://127.0.0.1:${upstreamPort}/v1` } },
    models: {
      primary: { deployments: [{ provider: 'upstream', model: 'gpt-primary', retries: 0, price: { input: 2.5, output: 10 } }] },
      candidate: { deployments: [{ provider: 'upstream', model: 'gpt-candidate', retries: 0, price: { input: 0.15, output: 0.6 } }] },
    },
    cache: { exact: { enabled: false } },
    log: { level: 'warn', requests: false },
    ...(name === 'on'
      ? {
          shadows: {
            bench: {
              target: { alias: 'primary' },
              candidate: { alias: 'candidate' },
              sampleRate: settings.sampleRate,
              budgetUsd: 1_000,
              maxConcurrent: 256,
              compare: { numericTolerance: 0.01 },
            },
          },
        }
      : {}),
  };
  const path = join(folder, `${name}.yaml`);
  writeFileSync(path, JSON.stringify(config));
  const app = await createApp(loadConfig({ path, env: {} }), { logger: pino({ level: 'warn' }) });
  const server = await buildServer(app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  const port = (server.server.address() as { port: number }).port;
  const key = (await app.keys.create({ name: 'bench' })).secret;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64 });
  return {
    name,
    app,
    pool,
    key,
    async close() {
      await pool.close();
      await server.close();
      await app.close();
    },
  };
}

let nextTicket = 1;
/** Tickets each target was asked, and whether every answer was the primary's record. */
const asked = { off: [] as number[], on: [] as number[] };
let changedAnswers = 0;

async function call(target: Target, n: number): Promise<number> {
  const started = performance.now();
  const response = await target.pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json', 'x-request-id': `t-${n}` },
    body: JSON.stringify({ model: 'primary', messages: [{ role: 'user', content: `Extract ticket ${n}` }] }),
  });
  const body = (await response.body.json()) as { choices: Array<{ message: { content: string } }> };
  const latency = performance.now() - started;
  if (response.statusCode !== 200 || !isDeepStrictEqual(JSON.parse(body.choices[0]!.message.content), primaryRecord(n))) changedAnswers++;
  asked[target.name].push(n);
  return latency;
}

/** `count` calls at a fixed arrival rate (open loop: a slow answer does not delay the next call). */
async function round(target: Target, count: number): Promise<number[]> {
  const latencies: Promise<number>[] = [];
  const start = performance.now();
  for (let index = 0; index < count; index++) {
    const due = start + (index * 1000) / settings.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    latencies.push(call(target, nextTicket++));
  }
  return Promise.all(latencies);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const off = await start('off');
const on = await start('on');
try {
  log(`warming up (load average ${loadavg()[0]!.toFixed(2)})`);
  await round(off, 100);
  await round(on, 100);
  await on.app.shadows.get('bench')!.idle();
  asked.off.length = 0;
  asked.on.length = 0;
  await on.app.store.shadows.deleteBefore(Date.now() + 1);
  const latencies = { off: [] as number[], on: [] as number[] };
  for (let index = 0; index < settings.rounds; index++) {
    for (const target of index % 2 === 0 ? [off, on] : [on, off]) {
      log(`round ${index + 1}/${settings.rounds}: shadow ${target.name}, ${settings.requests} calls at ${settings.rate}/s`);
      latencies[target.name].push(...(await round(target, settings.requests)));
    }
  }
  await on.app.shadows.get('bench')!.idle();
  const samples = await on.app.store.shadows.recent('bench', 1_000_000);
  const runner = on.app.shadows.get('bench')!;
  const report = shadowReport('bench', runner.definition, samples);
  const sampledTickets = samples.map((sample) => Number(sample.requestId.slice(2)));
  const truth = trueAgreement(asked.on);
  const truthSampled = trueAgreement(sampledTickets);
  const reported = report.agreement ?? 0;
  const p = (name: 'off' | 'on', q: number) => percentile(latencies[name], q);
  const rows = [
    ['shadow', 'calls', 'p50 ms', 'p90 ms', 'p99 ms', 'p99 / off'],
    ...(['off', 'on'] as const).map((name) => [
      name,
      String(latencies[name].length),
      p(name, 50).toFixed(2),
      p(name, 90).toFixed(2),
      p(name, 99).toFixed(2),
      (p(name, 99) / p('off', 99)).toFixed(3),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  process.stdout.write(
    `\nbench:shadow — caller latency (${settings.rounds} alternating rounds per side, ${settings.rate} calls/s, model ${settings.upstreamLatencyMs} ms, sample rate ${settings.sampleRate})\n`,
  );
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padStart(widths[column]!)).join('  ')}\n`);
  process.stdout.write(
    `\nagreement: reported ${(reported * 100).toFixed(2)}% over ${report.compared} compared samples (${report.candidateErrors} candidate errors)\n` +
      `           truth ${(truth * 100).toFixed(2)}% over all ${asked.on.length} shadowed-side calls, ${(truthSampled * 100).toFixed(2)}% over the sampled ones\n` +
      `           error vs truth ${((reported - truth) * 100).toFixed(2)} points; caller answers changed: ${changedAnswers}\n` +
      `recommendation: ${report.recommendation.action} (${report.recommendation.reasons.join('; ')})\nload average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      true_agreement: round4(truth),
      true_agreement_sampled: round4(truthSampled),
      reported_agreement: round4(reported),
      agreement_error_points: round4((reported - truth) * 100),
      p99_off_ms: round4(p('off', 99)),
      p99_on_ms: round4(p('on', 99)),
      p99_ratio_shadow_on: round4(p('on', 99) / p('off', 99)),
      p50_ratio_shadow_on: round4(p('on', 50) / p('off', 50)),
      samples: report.compared,
      candidate_errors: report.candidateErrors,
      caller_answers_changed: changedAnswers,
      calls_per_side: latencies.on.length,
    })}\n`,
  );
} finally {
  await off.close();
  await on.close();
  upstream.kill();
  rmSync(folder, { recursive: true, force: true });
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
