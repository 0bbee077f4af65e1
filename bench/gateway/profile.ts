/**
 * bench:gateway-profile — where a built `breakwater serve` spends its CPU per request in the
 * closed-loop phase of bench:gateway, and what its heap holds afterwards.
 *
 *   npm run bench:gateway-profile -- [--variant default|governed] [--seconds 8] [--connections 32] [--no-build] [--heap] [--flags="<node flags>"]
 *
 * Starts the mock and Breakwater (the variant's bench config) with `--cpu-prof`, warms up, runs
 * one closed loop and sums only the samples taken during it, per request served. With --heap it
 * also takes a heap snapshot after the load (the snapshot GCs first) and groups it by
 * constructor. RSS is printed at idle, right after the load and 5 s later. The .cpuprofile and
 * .heapsnapshot files are kept (open them in Chrome DevTools) and their folder printed.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchModel, buildBreakwater, startBreakwater, type BreakwaterVariant } from './breakwater-server.js';
import { ChildProcesses, freePorts, waitForTcp } from './child-processes.js';
import { formatSummary, summariseCpuProfile } from './cpu-profile-summary.js';
import { formatHeapSummary, summariseHeapSnapshot } from './heap-summary.js';
import { residentMb } from './process-stats.js';
import { findWrk, runWrk } from './wrk-run.js';

const { values: flags } = parseArgs({
  options: {
    variant: { type: 'string', default: 'default' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    'no-build': { type: 'boolean', default: false },
    heap: { type: 'boolean', default: false },
    /** Extra node flags for serve, after the bin's (a later flag wins): `--flags="--max-semi-space-size=8"`. */
    flags: { type: 'string', default: '' },
  },
});
const variant = flags.variant as BreakwaterVariant;
if (variant !== 'default' && variant !== 'governed') throw new Error('--variant is default or governed');
const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDirectory, '../..');
const wrk = findWrk();
if (!wrk) throw new Error('wrk is missing: apt-get install -y wrk');

const children = new ChildProcesses();
process.on('exit', () => children.killAllNow());
const output = mkdtempSync(join(tmpdir(), 'breakwater-profile-'));
const diagnostics = join(output, 'diagnostics');
mkdirSync(diagnostics);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
const log = (line: string) => process.stderr.write(`${line}\n`);

try {
  const [mockPort = 0, port = 0] = await freePorts(2);
  const mock = children.start('mock upstream', process.execPath, ['--import', 'tsx', join(benchDirectory, 'mock-upstream.ts'), String(mockPort)], {
    cwd: repoRoot,
    env: process.env,
  });
  await waitForTcp(mock, mockPort, 20_000);
  if (!flags['no-build']) await buildBreakwater(children, repoRoot);
  const nodeFlags = [
    '--cpu-prof',
    '--cpu-prof-interval=250',
    `--diagnostic-dir=${diagnostics}`,
    '--heapsnapshot-signal=SIGUSR2',
    ...flags.flags.split(' ').filter((flag) => flag !== ''),
  ];
  const breakwater = await startBreakwater(children, { repoRoot, temporaryDirectory: output, mockPort, port, variant, nodeFlags });
  const pid = breakwater.server.pid;
  const idleMb = residentMb(pid);
  const base = {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    model: benchModel,
    headers: { Authorization: `Bearer ${breakwater.key}` },
    stream: false,
    script: 'closed-loop' as const,
    threads: 2,
  };
  const nonce = `${Date.now().toString(36)}p`;
  log(`warm-up (load average ${load()})`);
  await runWrk(children, wrk, benchDirectory, { ...base, connections: 32, durationSeconds: 3, nonce: `${nonce}-w` });
  const seconds = Number(flags.seconds);
  const connections = Number(flags.connections);
  log(`profiled closed loop: ${connections} connections, ${seconds} s`);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const result = await runWrk(children, wrk, benchDirectory, { ...base, connections, durationSeconds: seconds, nonce: `${nonce}-p` });
  const toUs = Number(process.hrtime.bigint() / 1000n);
  const loadedMb = residentMb(pid);
  await sleep(5_000);
  const settledMb = residentMb(pid);

  const lines = [
    `variant ${variant}; ${result.requests} requests, ${result.rps.toFixed(0)} RPS, p50 ${result.latencyMs.p50.toFixed(2)} ms, errors ${result.non2xx + result.socketErrors}; load average ${load()}`,
    `RSS: idle ${idleMb.toFixed(1)} MB, right after the load ${loadedMb.toFixed(1)} MB, 5 s later ${settledMb.toFixed(1)} MB`,
  ];
  if (flags.heap) {
    breakwater.server.output(); // keep draining
    process.kill(pid, 'SIGUSR2');
    const snapshot = await settledFile(diagnostics, '.heapsnapshot', 60_000);
    lines.push(`RSS after the snapshot's GC: ${residentMb(pid).toFixed(1)} MB`, ...formatHeapSummary(summariseHeapSnapshot(snapshot)));
  }
  await children.stopAll(15_000);
  const profile = await settledFile(diagnostics, '.cpuprofile', 15_000);
  lines.push(...formatSummary(summariseCpuProfile(profile, fromUs, toUs, result.requests)), '', `files: ${diagnostics}`);
  for (const line of lines) console.log(line);
} catch (error) {
  log(`bench:gateway-profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await children.stopAll(5_000);
}

/** The first file with this ending in the folder once its size has stopped growing. */
async function settledFile(directory: string, ending: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let lastSize = -1;
  while (Date.now() < deadline) {
    const name = readdirSync(directory).find((file) => file.endsWith(ending));
    if (name) {
      const size = statSync(join(directory, name)).size;
      if (size > 0 && size === lastSize) return join(directory, name);
      lastSize = size;
    }
    await sleep(500);
  }
  throw new Error(`no complete *${ending} in ${directory} within ${timeoutMs} ms`);
}
