/**
 * bench:hostile — a real `breakwater serve` (built from this tree) under ≥ 1,000 hostile
 * requests over real sockets: the fuzz suite's generators, the worst bodies at the body
 * limit, slowloris connections, escape soups and odd admin spellings, some concurrently,
 * while a worker thread probes /healthz every 10 ms to see the server's event loop from
 * outside. Progress goes to stderr; the report to stdout, ending with one JSON line.
 * See README.md in this folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { ChildProcesses, type RunningProcess } from '../gateway/child-processes.js';
import { cpuTimeMs, residentMb } from '../gateway/process-stats.js';
import { encodeRequest, hostileRequest, hostileTargetConfig, rawHostileBytes, type HostileContext } from '../../test/support/hostile-requests.js';
import { rawExchange, rawRequest } from '../../test/support/raw-http.js';
import { judgeResponse } from '../../test/support/response-verdict.js';
import type { ProbeSample } from './probe-worker.js';
import { report, type Outcome } from './report.js';
import { slowClient, type SlowClientResult } from './slowloris.js';
import { worstCaseRequests, type StormRequest } from './worst-cases.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDirectory, '../..');
const log = (line: string) => process.stderr.write(`${line}\n`);

const seed = Number(process.env.HOSTILE_SEED ?? 20_260_312);
const generatedCount = 1_200;
const rawCount = 200;
const hangMs = 10_000;
/** A frozen server is restarted at most this often; then the bench stops sending. */
const maxRestarts = 8;
const requestTimeoutMs = 10_000;
const bodyLimitBytes = 4 * 1024 * 1024;
const jobsBodyLimitBytes = 16 * 1024 * 1024;
const adminToken = 'hostile-bench-admin-token-0123456789abcdef';
/** Diagnostics (README "Finding what held the loop"): which phases to run, and extra node flags for the server. */
const phases = new Set((process.env.HOSTILE_PHASES ?? 'generated,worst1,worst4').split(',').map((phase) => phase.trim()));
const serveFlags = (process.env.HOSTILE_SERVE_FLAGS ?? '').split(' ').filter((flag) => flag !== '');
const upstreamKey = 'sk-hostile-bench-upstream-key-never-shown';

const children = new ChildProcesses();
const temporaryDirectory = mkdtempSync(join(tmpdir(), 'breakwater-hostile-'));
let stopping = false;
let probeWorker: Worker | undefined;
const stop = async (graceMs: number) => {
  await probeWorker?.terminate();
  await children.stopAll(graceMs);
  rmSync(temporaryDirectory, { recursive: true, force: true });
};
/** Ends the bench at once (Ctrl-C, SIGTERM, the watchdog), its children included. */
const abort = (reason: string, exitCode: number) => {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping the bench's child processes`);
  void stop(1000).finally(() => process.exit(exitCode));
};
process.on('SIGINT', () => abort('SIGINT', 130));
process.on('SIGTERM', () => abort('SIGTERM', 143));
process.on('exit', () => children.killAllNow());
// A run takes ~2–3 minutes; a frozen server must not hold the machine much longer.
setTimeout(() => abort('bench:hostile exceeded 20 minutes', 1), 20 * 60_000).unref();

try {
  for (const line of report(await bench())) console.log(line);
} catch (error) {
  if (!stopping) log(`bench:hostile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  if (!stopping) await stop(3000);
}

async function bench() {
  const notes: string[] = [];
  log('npm run build');
  const build = await children.run('npm run build', 'npm', ['run', 'build'], { cwd: repoRoot, env: process.env, timeoutMs: 180_000 });
  if (build.status !== 'exit 0') throw new Error(`npm run build failed (${build.status}):\n${build.output}`);

  const upstreamProcess = children.start('mock upstream', process.execPath, ['--import', 'tsx', join(benchDirectory, 'mock-upstream.ts')], { cwd: repoRoot, env: process.env });
  const upstreamUrl = await lineFrom(upstreamProcess, /^upstream (\S+)$/m);
  const configPath = join(temporaryDirectory, 'breakwater.yaml');
  // JSON is YAML; one config for the fuzz suite and this bench (test/support/hostile-requests.ts).
  writeFileSync(
    configPath,
    JSON.stringify({
      ...hostileTargetConfig(upstreamUrl),
      store: { driver: 'sqlite', path: join(temporaryDirectory, 'hostile.db') },
      server: { bodyLimitBytes, requestTimeoutMs },
      jobs: { bodyLimitBytes: jobsBodyLimitBytes },
      log: { level: 'info', requests: false },
    }),
  );
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BREAKWATER_') && name !== 'PORT' && name !== 'HOST'));
  Object.assign(env, { BREAKWATER_ADMIN_TOKEN: adminToken, UPSTREAM_KEY: upstreamKey });
  const cli = join(repoRoot, 'dist/cli/main.js');
  const serve = (port: number) =>
    children.start(
      'breakwater serve',
      process.execPath,
      ['--max-semi-space-size=16', '--heap-growing-percent=50', ...serveFlags, cli, 'serve', '--config', configPath, '--port', String(port)],
      {
        cwd: temporaryDirectory,
        env,
      },
    );
  let server = serve(0);
  const origin = await lineFrom(server, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const port = Number(new URL(origin).port);
  log(`breakwater serve (pid ${server.pid}) on ${origin}, mock upstream on ${upstreamUrl}`);
  const restarts: string[] = [];
  /** A frozen server is killed and started again on the same port and database, so the rest of the storm still says something. */
  const restart = async (cause: string) => {
    restarts.push(cause);
    log(`  the server does not answer /healthz within ${hangMs} ms (after: ${cause}); restarting it (${restarts.length}/${maxRestarts})`);
    children.kill(server.pid, 'SIGKILL');
    await server.exited;
    server = serve(port);
    await lineFrom(server, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  };

  const context = await prepare(port);
  // tsx's loader does not reach worker threads on Node 20, so the worker registers it itself.
  const probeModule = new URL('./probe-worker.ts', import.meta.url).href;
  const probe = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(probeModule)}); })`, {
    eval: true,
    workerData: { origin, intervalMs: 10, timeoutMs: hangMs },
  });
  probeWorker = probe;
  const probeSamples = new Promise<ProbeSample[]>((resolveSamples) => probe.once('message', resolveSamples));
  const idleFrom = wallClock();
  await sleep(3_000);
  const stormFrom = wallClock();
  const cpuBefore = cpuTimeMs(server.pid);

  // Alongside the generated requests, before any worst case can freeze the server's timers.
  const slowClients: Array<Promise<SlowClientResult>> = [];
  for (let index = 0; index < (phases.has('generated') ? 16 : 0); index++)
    slowClients.push(slowClient(port, index % 2 ? 'slow body' : 'slow headers', context.key, 500, requestTimeoutMs + 25_000));

  const generated = fc.sample(hostileRequest(context), { seed, numRuns: generatedCount }).map(
    (request, index): StormRequest => ({
      category: `fuzz:${request.category}`,
      label: `${request.method} ${request.url.slice(0, 80)}${index % 3 === 2 ? ' (absolute-form)' : ''}`,
      method: request.method,
      bytes: encodeRequest(request, index % 3 === 2 ? `http://127.0.0.1:${port}${request.url}` : request.url),
    }),
  );
  const raw = fc.sample(rawHostileBytes(context, port), { seed, numRuns: rawCount }).map(
    ({ bytes }): StormRequest => ({
      category: 'fuzz:raw',
      label: bytes.toString('latin1').split('\r\n')[0]!.slice(0, 80),
      method: bytes.toString('latin1').split(' ')[0]!,
      bytes,
    }),
  );
  const worst = worstCaseRequests({ context, port, bodyLimitBytes, jobsBodyLimitBytes });
  const state: StormState = { unresponsive: false, consecutiveHangs: 0, restart, restarts: 0 };
  const outcomes: Outcome[] = [];
  log(
    `storm: ${generated.length + raw.length} generated (8 at a time) with 16 slowloris connections, then ${worst.length} worst cases one at a time, then the heavy ones 4 at a time`,
  );
  if (phases.has('generated')) outcomes.push(...(await sendAll(port, [...generated, ...raw], 8, 'generated', state)));
  const slow = await Promise.all(slowClients);
  if (restarts.length > 0) notes.push('A restart for a freeze happened while the slowloris connections were open: the restart closed them, not the request timeout.');
  if (phases.has('worst1')) outcomes.push(...(await sendAll(port, worst, 1, 'worst, one at a time', state)));
  if (phases.has('worst4'))
    outcomes.push(
      ...(await sendAll(
        port,
        worst.filter((request) => request.category.startsWith('worst-')),
        4,
        'worst, 4 at a time',
        state,
      )),
    );

  probe.postMessage('stop');
  const samples = await probeSamples;
  const cpu = restarts.length === 0 ? `${Math.round(cpuTimeMs(server.pid) - cpuBefore)} ms of CPU during the storm, ` : '';
  notes.push(`Server: ${cpu}${residentMb(server.pid)} MB resident at the end; seed ${seed}.`);
  for (const cause of restarts) notes.push(`Server frozen (no /healthz answer within ${hangMs} ms) and restarted after: ${cause}`);
  if (state.unresponsive) notes.push(`After ${maxRestarts} restarts the bench stopped sending; the requests left were not sent.`);
  return {
    outcomes,
    idle: samples.filter((sample) => sample.at >= idleFrom && sample.at < stormFrom),
    storm: samples.filter((sample) => sample.at >= stormFrom),
    slowClients: slow,
    requestTimeoutMs,
    notes,
  };
}

/** A key for the storm, a key it may revoke, and a finished job to read. */
async function prepare(port: number): Promise<HostileContext> {
  const admin = { authorization: `Bearer ${adminToken}` };
  const created = await rawRequest(port, 'POST', '/v1/admin/keys', admin, JSON.stringify({ name: 'hostile', tenant: 'hostile' }));
  const revocable = await rawRequest(port, 'POST', '/v1/admin/keys', admin, JSON.stringify({ name: 'revocable', tenant: 'other' }));
  if (created.status !== 201 || revocable.status !== 201) throw new Error(`could not create keys: ${created.status} ${created.body}`);
  const key = (JSON.parse(created.body) as { key: string }).key;
  const submitted = await rawRequest(
    port,
    'POST',
    '/v1/jobs',
    { authorization: `Bearer ${key}` },
    JSON.stringify({ kind: 'chat', request: { model: 'mock', messages: [{ role: 'user', content: 'hi' }] } }),
  );
  const jobId = (JSON.parse(submitted.body) as { id: string }).id;
  // Following the job's event stream returns once the job ended.
  await rawRequest(port, 'GET', `/v1/jobs/${jobId}/events`, { authorization: `Bearer ${key}` }, undefined, 30_000);
  return { key, adminToken, jobId, keyId: (JSON.parse(revocable.body) as { id: string }).id, maxRun: 65_536, maxDepth: 3_000 };
}

interface StormState {
  unresponsive: boolean;
  consecutiveHangs: number;
  restarts: number;
  restart: (cause: string) => Promise<void>;
  restarting?: Promise<void>;
}

async function sendAll(port: number, requests: StormRequest[], concurrency: number, phase: string, state: StormState): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      if (state.unresponsive) {
        outcomes.push({ category: request.category, label: request.label, phase, startedAt: wallClock(), ms: 0, result: { kind: 'skipped' } });
        continue;
      }
      await state.restarting;
      outcomes.push(await send(port, request, phase, state));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  log(`  ${phase}: ${requests.length} requests in ${Math.round(performance.now() - started)} ms`);
  return outcomes;
}

async function send(port: number, request: StormRequest, phase: string, state: StormState): Promise<Outcome> {
  const startedAt = wallClock();
  const base = { category: request.category, label: request.label, phase, startedAt };
  try {
    const response = await rawExchange(port, request.bytes, hangMs);
    state.consecutiveHangs = 0;
    const result = judgeResponse({ status: response.status, body: response.body, method: request.method, headers: response.headers }, [upstreamKey, adminToken]);
    const sample = result.kind === 'ok' || result.kind === 'client-error' ? undefined : `${response.status} ${response.body.slice(0, 160)}`;
    return { ...base, ms: wallClock() - startedAt, result, ...(sample ? { sample } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!message.startsWith('no answer within')) return { ...base, ms: wallClock() - startedAt, result: { kind: 'error', message: message.slice(0, 120) } };
    const outcome: Outcome = { ...base, ms: wallClock() - startedAt, result: { kind: 'hang' } };
    // A hang: is the server answering anything at all?
    state.consecutiveHangs++;
    if (!state.unresponsive && !state.restarting) {
      const health = await rawRequest(port, 'GET', '/healthz', {}, undefined, 2_000).catch(() => undefined);
      if (health?.status !== 200 && !state.restarting) {
        if (state.restarts >= maxRestarts) state.unresponsive = true;
        else {
          state.restarts++;
          state.restarting = state.restart(`${request.category}: ${request.label}`).finally(() => (state.restarting = undefined));
          await state.restarting;
        }
      }
    }
    return outcome;
  }
}

async function lineFrom(child: RunningProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(child.output());
    if (match) return match[1]!;
    if (child.exitStatus() !== undefined) break;
    await sleep(50);
  }
  throw new Error(`${child.name} did not print ${pattern} (${child.exitStatus() ?? 'still running'}):\n${child.output()}`);
}

function wallClock(): number {
  return performance.timeOrigin + performance.now();
}
