/**
 * bench:dashboard — what the dashboard at /ui costs the gateway, and how its bundle is cached.
 *
 * Two `breakwater serve` (bench:gateway's default config) against the same instant mock
 * upstream: one with the dashboard on (as `serve` starts), one with `ui.enabled: false`. Paced
 * runs (bench:gateway's: 8 connections, random think time, ~500 RPS) alternate between them,
 * three rounds of three: UI off, UI on and idle, UI on while an admin watches it (a client logged
 * in with the session cookie reloads the Overview's two queries every second: far more often
 * than a person reloads it; the page itself does not poll). The added p50 is each "on" figure minus the "off" one of the same round; the headline
 * is the median over the rounds. Then the bundle's caching: the page revalidated (`no-cache`),
 * hashed assets cached for a year (`immutable`), a conditional GET answered 304.
 * See README.md in this folder. Needs wrk (apt-get install -y wrk).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { benchModel, buildBreakwater, startBreakwater, type BreakwaterServer } from '../gateway/breakwater-server.js';
import { ChildProcesses, freePorts, waitForTcp } from '../gateway/child-processes.js';
import { findWrk, runWrk, type WrkResult } from '../gateway/wrk-run.js';

const gatewayDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../gateway');
const repoRoot = resolve(gatewayDirectory, '../..');
const adminToken = 'dashboard-bench-admin-token-0123456789abcdef';
const rounds = 3;
const seconds = 8;
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

const wrk = findWrk();
if (!wrk) throw new Error('wrk is missing: apt-get install -y wrk');
const children = new ChildProcesses();
process.on('exit', () => children.killAllNow());
const temporaryDirectory = mkdtempSync(join(tmpdir(), 'breakwater-dashboard-'));

type Mode = 'off' | 'idle' | 'watched';
const modes: readonly Mode[] = ['off', 'idle', 'watched'];

try {
  const [mockPort = 0, offPort = 0, onPort = 0] = await freePorts(3);
  const mock = children.start('mock upstream', process.execPath, ['--import', 'tsx', join(gatewayDirectory, 'mock-upstream.ts'), String(mockPort)], {
    cwd: repoRoot,
    env: process.env,
  });
  await waitForTcp(mock, mockPort, 20_000);
  log('npm run build');
  await buildBreakwater(children, repoRoot);
  const common = { repoRoot, temporaryDirectory, mockPort, variant: 'default' as const, env: { BREAKWATER_ADMIN_TOKEN: adminToken } };
  const off = await startBreakwater(children, { ...common, port: offPort, ui: false, name: 'ui-off' });
  const on = await startBreakwater(children, { ...common, port: onPort, name: 'ui-on' });
  const caching = await checkCaching(onPort, offPort);

  const results = new Map<Mode, WrkResult[]>(modes.map((mode) => [mode, []]));
  const paced = (server: BreakwaterServer, port: number, nonce: string) =>
    runWrk(children, wrk, gatewayDirectory, {
      url: `http://127.0.0.1:${port}/v1/chat/completions`,
      script: 'paced',
      threads: 1,
      connections: 8,
      durationSeconds: seconds,
      model: benchModel,
      stream: false,
      nonce,
      headers: { Authorization: `Bearer ${server.key}` },
    });
  const nonce = Date.now().toString(36);
  log(`warm-up (load average ${load()})`);
  await paced(off, offPort, `${nonce}-w0`);
  await paced(on, onPort, `${nonce}-w1`);
  let watcherRequests = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const mode of modes) {
      log(`round ${round}: UI ${mode} (load average ${load()})`);
      const server = mode === 'off' ? off : on;
      const port = mode === 'off' ? offPort : onPort;
      const watcher = mode === 'watched' ? watchDashboard(onPort) : undefined;
      results.get(mode)!.push(await paced(server, port, `${nonce}-${round}-${mode}`));
      if (watcher) watcherRequests += await watcher.stop();
    }
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const p50 = (mode: Mode) => results.get(mode)!.map((result) => result.latencyMs.p50);
  const p99 = (mode: Mode) => results.get(mode)!.map((result) => result.latencyMs.p99);
  const added = (mode: Mode) => p50(mode).map((value, index) => value - p50('off')[index]!);
  const invalid = [...results.values()].flat().filter((result) => !result.valid).length;
  const figures = {
    ui_off_p50_ms: round3(median(p50('off'))),
    ui_idle_p50_ms: round3(median(p50('idle'))),
    ui_watched_p50_ms: round3(median(p50('watched'))),
    ui_idle_added_p50_ms: round3(median(added('idle'))),
    ui_added_p50_ms: round3(median(added('watched'))),
    ui_off_p99_ms: round3(median(p99('off'))),
    ui_watched_p99_ms: round3(median(p99('watched'))),
    watcher_requests: watcherRequests,
    invalid_runs: invalid,
    ...caching,
  };

  const table = [
    '| UI | ' + Array.from({ length: rounds }, (_, index) => `round ${index + 1} p50 / p99 ms`).join(' | ') + ' | median p50 | added p50 vs off |',
    '|---|' + '---|'.repeat(rounds + 2),
    ...modes.map(
      (mode) =>
        `| ${mode} | ${results
          .get(mode)!
          .map((result) => `${result.latencyMs.p50.toFixed(2)} / ${result.latencyMs.p99.toFixed(2)}${result.valid ? '' : ' INVALID'}`)
          .join(' | ')} | ${median(p50(mode)).toFixed(2)} | ${mode === 'off' ? '—' : `${median(added(mode)).toFixed(3)} ms`} |`,
    ),
  ];
  const lines = [
    `bench:dashboard — paced ~500 RPS, ${seconds} s per run, ${rounds} rounds (load average ${load()})`,
    '',
    ...table,
    '',
    `watched: an admin session reloading the Overview's queries every second (${watcherRequests} dashboard requests in all)`,
    `target: the UI adds ≤ 1 ms to the paced p50 → ${figures.ui_added_p50_ms <= 1 ? 'pass' : 'FAIL'} (${figures.ui_added_p50_ms} ms watched, ${figures.ui_idle_added_p50_ms} ms idle)`,
    '',
    'caching:',
    `  GET /ui                → ${caching.page_status}, cache-control: ${caching.page_cache_control}`,
    `  GET ${caching.asset_path} → ${caching.asset_status}, cache-control: ${caching.asset_cache_control}`,
    `  the same with If-None-Match → ${caching.asset_revalidated_status}`,
    `  GET /ui with the dashboard off → ${caching.off_status}`,
    '',
    JSON.stringify(figures),
  ];
  for (const line of lines) console.log(line);
} catch (error) {
  log(`bench:dashboard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await children.stopAll(5_000);
  rmSync(temporaryDirectory, { recursive: true, force: true });
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The page's and an asset's caching headers, a conditional GET, and /ui on the server without the dashboard. */
async function checkCaching(onPort: number, offPort: number) {
  const page = await request(`http://127.0.0.1:${onPort}/ui`);
  const html = await page.body.text();
  const asset = /\/ui\/assets\/[^"']+\.js/.exec(html)?.[0];
  if (page.statusCode !== 200 || !asset) throw new Error(`GET /ui answered ${page.statusCode} without a script asset: is dist/ui built?`);
  const first = await request(`http://127.0.0.1:${onPort}${asset}`);
  await first.body.dump();
  const etag = first.headers.etag;
  const again = await request(`http://127.0.0.1:${onPort}${asset}`, { headers: typeof etag === 'string' ? { 'if-none-match': etag } : {} });
  await again.body.dump();
  const off = await request(`http://127.0.0.1:${offPort}/ui`);
  await off.body.dump();
  return {
    page_status: page.statusCode,
    page_cache_control: String(page.headers['cache-control'] ?? ''),
    asset_path: asset,
    asset_status: first.statusCode,
    asset_cache_control: String(first.headers['cache-control'] ?? ''),
    asset_revalidated_status: again.statusCode,
    off_status: off.statusCode,
  };
}

/** An admin reloading the dashboard's Overview: logs in, then asks its two queries every second until stopped. */
function watchDashboard(port: number): { stop: () => Promise<number> } {
  let stopped = false;
  let requests = 0;
  const origin = `http://127.0.0.1:${port}`;
  const running = (async () => {
    const login = await request(`${origin}/ui/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: adminToken }) });
    await login.body.dump();
    const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]);
    if (login.statusCode !== 201 || cookies.length === 0) throw new Error(`dashboard login answered ${login.statusCode}`);
    const headers = { cookie: cookies.join('; ') };
    while (!stopped) {
      const to = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      for (const path of [`/v1/usage?from=${from}&to=${to}`, `/v1/usage/latency?from=${from}&to=${to}&limit=1000`]) {
        const answer = await request(`${origin}${path}`, { headers });
        await answer.body.dump();
        if (answer.statusCode !== 200) throw new Error(`GET ${path} with the session answered ${answer.statusCode}`);
        requests++;
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      return requests;
    },
  };
}
