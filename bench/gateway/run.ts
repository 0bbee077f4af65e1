/**
 * bench:gateway — Breakwater's proxy cost (default config, and every governance feature on)
 * next to the mock upstream alone (direct), a bare node:http + undici pass-through (the floor)
 * and @portkey-ai/gateway, all measured in one run against the same instant mock.
 * Progress goes to stderr; the report goes to stdout and ends with one JSON line.
 * See README.md in this folder for what each figure means.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchModel, buildBreakwater, startBreakwater, type BreakwaterVariant } from './breakwater-server.js';
import { ChildProcesses, freePorts, waitForTcp, type RunningProcess } from './child-processes.js';
import { measureTarget } from './measure-target.js';
import { probe } from './probe.js';
import { residentMb } from './process-stats.js';
import { report, type BenchOutcome } from './report.js';
import type { Target, TargetId } from './target.js';
import { findWrk } from './wrk-run.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDirectory, '../..');
const portkeyStreamBug = 'Portkey 1.15.2 answers HTTP 500 to stream:true (TypeError: immutable; upstream issues #1389/#1550)';
const log = (line: string) => process.stderr.write(`${line}\n`);

const wrk = findWrk();
if (!wrk) {
  console.log('wrk is missing: apt-get install -y wrk');
  process.exit(1);
}

const children = new ChildProcesses();
const temporaryDirectory = mkdtempSync(join(tmpdir(), 'breakwater-bench-'));
let stopping = false;
const stop = async (graceMs: number) => {
  await children.stopAll(graceMs);
  rmSync(temporaryDirectory, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the bench's child processes`);
    void stop(1000).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}
// Last resort if anything below exits the process without going through `finally`.
process.on('exit', () => children.killAllNow());
// The plan takes ~4 minutes; a hung child must not hold the machine much longer than that.
const watchdog = setTimeout(() => {
  log('bench:gateway exceeded 9 minutes; stopping');
  stopping = true;
  void stop(1000).finally(() => process.exit(1));
}, 9 * 60_000);
watchdog.unref();

try {
  for (const line of report(await bench(wrk))) console.log(line);
} catch (error) {
  // After Ctrl-C the children die mid-run; that failure is expected, not news.
  if (!stopping) log(`bench:gateway failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  if (!stopping) await stop(2000);
}

async function bench(wrk: string): Promise<BenchOutcome> {
  const [mockPort = 0, floorPort = 0, breakwaterPort = 0, governedPort = 0, portkeyPort = 0] = await freePorts(5);
  const outcome: BenchOutcome = { measurements: {}, failures: {}, probes: [], portkeyStreamProbeStatus: null, environment: [] };
  // Other work on this shared 2-core machine moves RPS and latency; the load average shows how much.
  outcome.environment.push(`${cpus().length} CPUs, Node ${process.version}, load average at start ${loadAverage()}`);

  log(`mock upstream on 127.0.0.1:${mockPort}, floor on :${floorPort}, Breakwater on :${breakwaterPort} (governed :${governedPort}), Portkey on :${portkeyPort}`);
  const mock = children.start('mock upstream', process.execPath, ['--import', 'tsx', join(benchDirectory, 'mock-upstream.ts'), String(mockPort)], {
    cwd: repoRoot,
    env: process.env,
  });
  const floorArgs = ['--import', 'tsx', join(benchDirectory, 'floor-proxy.ts'), String(floorPort), `http://127.0.0.1:${mockPort}`];
  const floor = children.start('floor proxy', process.execPath, floorArgs, { cwd: repoRoot, env: process.env });
  // start-server.js 1.15.2 takes its port only from `--port=N` (PORT in the environment is
  // ignored and it falls back to 8787), so pass both.
  const portkeyArgs = [join(repoRoot, 'node_modules/@portkey-ai/gateway/build/start-server.js'), `--port=${portkeyPort}`];
  const portkey = children.start('portkey gateway', process.execPath, portkeyArgs, {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(portkeyPort) },
  });
  log('building Breakwater (npm run build) while the mock, the floor and Portkey start');
  const built = buildBreakwater(children, repoRoot);
  const start = (variant: BreakwaterVariant, port: number) => built.then(() => startBreakwater(children, { repoRoot, temporaryDirectory, mockPort, port, variant }));
  const [mockReady, floorReady, breakwater, governed, portkeyReady] = await Promise.allSettled([
    waitForTcp(mock, mockPort, 20_000),
    waitForTcp(floor, floorPort, 20_000),
    start('default', breakwaterPort),
    start('governed', governedPort),
    waitForTcp(portkey, portkeyPort, 20_000),
  ]);
  if (mockReady.status === 'rejected') throw mockReady.reason;

  const mockUrl = `http://127.0.0.1:${mockPort}/v1`;
  const targets: Target[] = [
    { id: 'direct', label: 'direct (mock alone)', url: `${mockUrl}/chat/completions`, model: 'gpt-4o-mini', headers: { Authorization: 'Bearer x' }, server: mock },
  ];
  if (floorReady.status === 'fulfilled')
    targets.push({ ...gateway('floor', floorPort, 'gpt-4o-mini', { Authorization: 'Bearer x' }, floor), label: 'floor (node:http + undici pass-through)' });
  else outcome.failures.floor = describe(floorReady.reason);
  for (const [id, started, port] of [
    ['breakwater', breakwater, breakwaterPort],
    ['governed', governed, governedPort],
  ] as const) {
    if (started.status === 'fulfilled') {
      const target = gateway(id, port, benchModel, { Authorization: `Bearer ${started.value.key}` }, started.value.server);
      targets.push(id === 'governed' ? { ...target, label: 'breakwater, all governance on' } : { ...target, label: 'breakwater, default config' });
    } else outcome.failures[id] = describe(started.reason);
  }
  if (portkeyReady.status === 'fulfilled') {
    const headers = { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': mockUrl, Authorization: 'Bearer x' };
    targets.push(gateway('portkey', portkeyPort, 'gpt-4o-mini', headers, portkey));
  } else outcome.failures.portkey = describe(portkeyReady.reason);

  const streamFailures = await preflight(targets, outcome);
  outcome.environment.push(`RSS before load: ${targets.map((target) => `${target.id} ${residentMb(target.server.pid).toFixed(1)} MB`).join(', ')}`);
  const context = { children, wrk, benchDirectory, nonce: `${Date.now().toString(36)}${process.pid}`, log };
  for (const target of targets) {
    if (outcome.failures[target.id]) continue;
    log(`measuring ${target.label} (load average ${loadAverage()})`);
    outcome.measurements[target.id] = await measureTarget(context, target, streamFailures.get(target.id));
  }
  outcome.environment.push(`load average at end ${loadAverage()}`);
  return outcome;
}

function gateway(id: TargetId, port: number, model: string, headers: Record<string, string>, server: RunningProcess): Target {
  return { id, label: id, url: `http://127.0.0.1:${port}/v1/chat/completions`, model, headers, server };
}

/**
 * One request per target and mode before any load, like `curl -i`: a target that cannot
 * answer is reported with what it said instead of being measured on its error path.
 * Returns, per target, why its streaming is not measured.
 */
async function preflight(targets: readonly Target[], outcome: BenchOutcome): Promise<Map<TargetId, string>> {
  const streamFailures = new Map<TargetId, string>();
  for (const target of targets) {
    const content = `bench preflight ${Date.now()} ${target.id}`;
    const plain = await probe(target, false, content);
    const seen = (result: typeof plain) =>
      result.status === null
        ? `no answer (${result.error ?? 'unknown'})`
        : `HTTP ${result.status} in ${result.ms.toFixed(1)} ms${result.complete ? '' : `, body: ${result.bodySample}`}`;
    outcome.probes.push(`${target.id} POST ${target.url} (stream: false) → ${seen(plain)}`);
    if (!plain.complete) {
      outcome.failures[target.id] = `a single non-streaming chat completion did not succeed: ${seen(plain)}`;
      continue;
    }
    if (target.id === 'breakwater' || target.id === 'governed') {
      // The same body again shows the exact cache is on, which is why wrk makes every body unique.
      const again = await probe(target, false, content);
      outcome.probes.push(
        `${target.id} x-breakwater-cache: ${plain.headers['x-breakwater-cache'] ?? '(none)'} then ${again.headers['x-breakwater-cache'] ?? '(none)'} for the same body; ` +
          `x-breakwater-overhead-ms: ${plain.headers['x-breakwater-overhead-ms'] ?? '(none)'}` +
          (plain.headers['x-breakwater-route'] ? `; x-breakwater-route: ${plain.headers['x-breakwater-route']}` : ''),
      );
    }
    const streamed = await probe(target, true, `${content} stream`);
    outcome.probes.push(`${target.id} POST ${target.url} (stream: true) → ${seen(streamed)}${streamed.complete ? ', ends with data: [DONE]' : ''}`);
    if (target.id === 'portkey') outcome.portkeyStreamProbeStatus = streamed.status;
    if (!streamed.complete) {
      const known = target.id === 'portkey' ? `${portkeyStreamBug}; ` : '';
      streamFailures.set(target.id, `${known}this run's single stream:true request: ${seen(streamed)}`);
    }
  }
  return streamFailures;
}

function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
