/**
 * bench:isolation — does a flood of slow jobs on the workers slow the API node down?
 * One `--role api` process and two `--role worker` processes (jobs.concurrency 500 each) on the
 * scaled-out stack (PostgreSQL, Redis, RabbitMQ), against a mock upstream that answers after
 * 5–30 s. The API's latency is measured idle, then with 1,000 jobs held in flight; RSS of every
 * process at that moment. Progress goes to stderr; the report to stdout, ending with one JSON
 * line. See README.md in this folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, setPriority, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ChildProcesses, type RunningProcess } from '../gateway/child-processes.js';
import { cpuTimeMs, residentMb } from '../gateway/process-stats.js';
import { findWrk } from '../gateway/wrk-run.js';
import { createKey, startNode, submitChatJob, submitMany, upstreamStats, waitForJob, waitForOutput, type Node } from './cluster.js';
import { pacedProbe } from './paced-probe.js';
import { report, type IsolationOutcome, type Phase } from './report.js';
import { ScaleOutStack } from './scale-out-stack.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDirectory, '../..');
const log = (line: string) => process.stderr.write(`${line}\n`);

const inFlightTarget = 1_000;
const workerConcurrency = 500;
const probeSeconds = 15;
const probeDelayMs = 9;
/** CPU priority (nice) of the worker processes; `--worker-nice=0` runs them at the API's. */
const workerNice = Number(process.argv.find((item) => item.startsWith('--worker-nice='))?.split('=')[1] ?? '10');

const wrk = findWrk();
if (!wrk) {
  console.log('wrk is missing: apt-get install -y wrk');
  process.exit(1);
}

const children = new ChildProcesses();
const stack = new ScaleOutStack({
  postgres: process.env.BREAKWATER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.BREAKWATER_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq: process.env.BREAKWATER_TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672/',
});
const folder = mkdtempSync(join(tmpdir(), 'breakwater-isolation-'));

let cleaned: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaned ??= (async () => {
    const before = new Map([...liveNames()].map((name) => [name, true]));
    await children.stopAll(8_000);
    if (before.size > 0) log(`stopped: ${[...before.keys()].join(', ')}`);
    for (const problem of await stack.destroy()) log(`clean-up: ${problem}`);
    rmSync(folder, { recursive: true, force: true });
  })();
  return cleaned;
}
const started: RunningProcess[] = [];
const liveNames = () => started.filter((running) => running.exitStatus() === undefined).map((running) => running.name);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the bench's processes and removing its data`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
process.on('exit', () => children.killAllNow());
const watchdog = setTimeout(() => {
  log('bench:isolation exceeded 10 minutes; stopping');
  void cleanUp().finally(() => process.exit(1));
}, 10 * 60_000);
watchdog.unref();

let exitCode = 0;
try {
  for (const line of report(await bench(wrk))) console.log(line);
} catch (error) {
  log(`bench:isolation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);

async function bench(wrkPath: string): Promise<IsolationOutcome> {
  const warnings: string[] = [];
  await stack.create();
  const env = stack.environment();

  const upstreamProcess = children.start('mock upstream', process.execPath, ['--import', 'tsx', join(benchDirectory, 'mock-upstream.ts')], { cwd: repoRoot, env: process.env });
  started.push(upstreamProcess);
  const upstream = `http://127.0.0.1:${(await waitForOutput(upstreamProcess, /LISTENING (\d+)/, 30_000))[1]}`;
  // The control: a bare node:http server on the same machine, probed like the API (README.md).
  const controlProcess = children.start('control server', process.execPath, ['--import', 'tsx', join(benchDirectory, 'control-server.ts')], { cwd: repoRoot, env: process.env });
  started.push(controlProcess);
  const controlUrl = `http://127.0.0.1:${(await waitForOutput(controlProcess, /LISTENING (\d+)/, 30_000))[1]}`;
  const config = stack.writeConfig(folder, `${upstream}/v1`, workerConcurrency);
  const key = await createKey(children, { repoRoot, config, env });

  log('starting 1 api and 2 worker processes…');
  const [api, ...workers] = await Promise.all([
    startNode(children, 'api', 'api', { repoRoot, config, env }),
    startNode(children, 'worker 1', 'worker', { repoRoot, config, env }),
    startNode(children, 'worker 2', 'worker', { repoRoot, config, env }),
  ]);
  started.push(api!.process, ...workers.map((worker) => worker.process));
  // Workers get a lower CPU priority than the API, as separate nodes or pods with their own
  // CPU would give them in production; on this 2-core box everything else shares one pool.
  // --worker-nice=0 measures without it.
  for (const worker of workers) setPriority(worker.process.pid, workerNice);
  log(`workers run at nice ${workerNice} (the API at 0)`);

  // A finished job to read: it also proves jobs flow API → outbox → RabbitMQ → worker → store.
  const probeJob = await submitChatJob(api!.address, key, 'instant');
  const ended = await waitForJob(api!.address, key, probeJob, 30_000);
  if (ended.status !== 'succeeded') {
    throw new Error(`the probe job ${probeJob} did not succeed within 30 s (status ${ended.status}): ${ended.body.slice(0, 400)}\n${diagnostics([api!, ...workers])}`);
  }

  type Probes = Pick<Phase, 'jobRead' | 'healthz' | 'control'>;
  const probes = async (): Promise<Probes> => {
    const jobRead = await pacedProbe(children, wrkPath, {
      url: `${api!.address}/v1/jobs/${probeJob}`,
      headers: { authorization: `Bearer ${key}` },
      durationSeconds: probeSeconds,
      delayMs: probeDelayMs,
    });
    const healthz = await pacedProbe(children, wrkPath, { url: `${api!.address}/healthz`, headers: {}, durationSeconds: probeSeconds, delayMs: probeDelayMs });
    const control = await pacedProbe(children, wrkPath, { url: `${controlUrl}/`, headers: {}, durationSeconds: probeSeconds, delayMs: probeDelayMs });
    return { jobRead, healthz, control };
  };
  const pids = () => [api!.process.pid, ...workers.map((worker) => worker.process.pid), upstreamProcess.pid];
  /** CPU use of each process (api, workers…, upstream) over `work`, in % of one core. */
  const withCpu = async <T>(work: () => Promise<T>): Promise<{ result: T; cpu: number[] }> => {
    const before = pids().map(cpuTimeMs);
    const startedAt = Date.now();
    const result = await work();
    const wallMs = Date.now() - startedAt;
    return { result, cpu: pids().map((pid, index) => ((cpuTimeMs(pid) - before[index]!) / wallMs) * 100) };
  };
  const rss = (): Phase['rssMb'] => ({
    api: residentMb(api!.process.pid),
    workers: workers.map((worker) => residentMb(worker.process.pid)),
    upstream: residentMb(upstreamProcess.pid),
  });

  log(`idle: ${probeSeconds} s each of GET /v1/jobs/:id, GET /healthz and GET on the control server…`);
  const idleRss = rss();
  const idleRun = await withCpu(probes);
  const idle: Phase = { ...idleRun.result, rssMb: idleRss, cpuPercent: idleRun.cpu };

  log(`submitting ${inFlightTarget} jobs against the 5–30 s upstream…`);
  const submittedAt = Date.now();
  await submitMany(api!.address, key, 'slow', inFlightTarget, 50);
  let submitted = inFlightTarget;
  let reached = 0;
  let secondsToReach: number | null = null;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    reached = (await upstreamStats(upstream)).open;
    if (reached >= inFlightTarget) {
      secondsToReach = (Date.now() - submittedAt) / 1000;
      break;
    }
  }
  if (reached < inFlightTarget) {
    const stats = await upstreamStats(upstream);
    warnings.push(
      `only ${reached} of ${inFlightTarget} jobs reached the upstream within 60 s of submission (most ever open: ${stats.max_open}, answered: ${stats.answered_slow}); measuring anyway. ${diagnostics([api!, ...workers])}`,
    );
  }

  // Jobs end after 5–30 s; replace each finished one so the probes run with the target in flight.
  const samples: number[] = [];
  let topping = true;
  let toppedUp = 0;
  const topUp = (async () => {
    while (topping) {
      const stats = await upstreamStats(upstream);
      samples.push(stats.open);
      const missing = Math.min(100, inFlightTarget - (submitted - stats.answered_slow));
      const tick = Date.now();
      if (missing > 0) {
        submitted += missing;
        toppedUp += missing;
        // Spread over the tick, as independent clients would send them: a steady stream at the
        // rate jobs finish, not a burst of `missing` every 200 ms.
        const sent: Array<Promise<unknown>> = [];
        for (let index = 0; index < missing && topping; index++) {
          sent.push(submitChatJob(api!.address, key, 'slow').catch((error: unknown) => warnings.push(`top-up submission failed: ${String(error)}`)));
          await sleep(200 / missing);
        }
        await Promise.all(sent);
      }
      await sleep(Math.max(0, 200 - (Date.now() - tick)));
    }
  })();
  const loadedStart = Date.now();
  const rssSamples: Array<Phase['rssMb']> = [];
  const rssTimer = setInterval(() => rssSamples.push(rss()), 2_000);
  log(`loaded: the same probes with ${inFlightTarget} jobs in flight…`);
  let loadedRun: { result: Probes; cpu: number[] };
  try {
    loadedRun = await withCpu(probes);
  } finally {
    clearInterval(rssTimer);
    topping = false;
    await topUp;
  }
  const loadedSeconds = (Date.now() - loadedStart) / 1000;
  const peak = (pick: (sample: Phase['rssMb']) => number) => Math.max(...rssSamples.map(pick));
  const loaded: Phase = {
    ...loadedRun.result,
    cpuPercent: loadedRun.cpu,
    rssMb: { api: peak((sample) => sample.api), workers: workers.map((_worker, index) => peak((sample) => sample.workers[index]!)), upstream: peak((sample) => sample.upstream) },
  };

  return {
    idle,
    loaded,
    inFlight: {
      target: inFlightTarget,
      min: Math.min(...samples),
      mean: samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length),
      max: Math.max(...samples),
      reachedAtStart: reached,
      secondsToReach,
    },
    topUpPerSecond: toppedUp / loadedSeconds,
    jobStatuses: await jobStatuses(env.BW_PG!),
    machine: { loadAverage: loadavg()[0]!, cores: availableParallelism(), workerNice },
    warnings,
  };
}

/** What each node said last, for a failure report. */
function diagnostics(nodes: Node[]): string {
  return nodes
    .map((node) => `--- ${node.process.name} (pid ${node.process.pid}, ${node.process.exitStatus() ?? 'running'}) last output:\n${node.process.output().slice(-2_000)}`)
    .join('\n');
}

async function jobStatuses(connectionString: string): Promise<Record<string, number>> {
  const pool = new pg.Pool({ connectionString, max: 1 });
  try {
    const result = await pool.query<{ status: string; count: string }>('SELECT status, count(*) AS count FROM jobs GROUP BY status ORDER BY status');
    return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.count)]));
  } finally {
    await pool.end();
  }
}
