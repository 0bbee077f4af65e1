/**
 * bench:gateway-core — the gateway's own cost per call, in process, without HTTP: the full
 * middleware chain (telemetry, ledger, rate limit, exact cache, PII, budget, router) around an
 * instant in-process provider, against that provider called directly. No sockets, so no
 * scheduler noise: this is the figure to watch when changing the hot path. The report goes to
 * stdout and ends with one JSON line.
 *
 *   npm run bench:gateway-core
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { ChatRequest } from '../../src/wire/chat.js';

const rounds = 5;
const callsPerRound = 10_000;

const folder = mkdtempSync(join(tmpdir(), 'breakwater-gateway-core-'));
const path = join(folder, 'breakwater.yaml');
writeFileSync(
  path,
  JSON.stringify({
    store: { driver: 'sqlite', path: join(folder, 'bench.db') },
    providers: { instant: { type: 'mock', latencyMs: 0 } },
    models: { 'bench-model': { deployments: [{ provider: 'instant', model: 'mock-1' }] } },
  }),
);
const app = await createApp(loadConfig({ path, env: {} }), { logger: pino({ level: 'silent' }) });
// A budget and an rpm limit, so the budget reservation and the limiter run on every call.
const { key } = await app.keys.create({ name: 'bench', budget: { usd: 1e9, period: 'total' }, rpm: 1e9 });
const provider = app.providers.get('instant')!;

let counter = 0;
// A unique user message per call (as bench:gateway sends): the exact cache is looked up and misses.
const request = (): ChatRequest => ({
  model: 'bench-model',
  max_tokens: 16,
  messages: [
    { role: 'system', content: 'You are a terse assistant answering a gateway benchmark.' },
    { role: 'user', content: `bench n${counter++}: say hello in five words` },
  ],
});
const viaGateway = () =>
  app.gateway.call({
    requestId: `bench-${counter}`,
    key,
    input: { operation: 'chat', request: request() },
    stream: false,
    cacheControl: { noStore: false, noCache: false },
    signal: new AbortController().signal,
    startedAt: performance.now(),
  });
const direct = () => provider.chat(request(), { signal: new AbortController().signal, model: 'mock-1' });

/** Microseconds per call: the best of `rounds` rounds, after one round of warm-up. */
async function measure(call: () => Promise<unknown>): Promise<number[]> {
  const results: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = performance.now();
    for (let index = 0; index < callsPerRound; index++) await call();
    if (round > 0) results.push(((performance.now() - started) * 1000) / callsPerRound);
  }
  return results;
}

const directUs = await measure(direct);
const gatewayUs = await measure(viaGateway);
await app.ledgerWriter.flush();
await app.close();
rmSync(folder, { recursive: true, force: true });

const best = (values: number[]) => Math.min(...values);
const round1 = (value: number) => Math.round(value * 10) / 10;
const ownUs = best(gatewayUs) - best(directUs);
console.log(`bench:gateway-core — ${rounds} rounds of ${callsPerRound.toLocaleString('en')} chat calls each (best round reported); ${cpus().length} CPUs, Node ${process.version}`);
console.log('');
console.log('| path | µs per call, each round | best | vs direct |');
console.log('|---|---|---:|---:|');
console.log(`| provider called directly (the baseline) | ${directUs.map(round1).join(' / ')} | ${round1(best(directUs))} | 1.00x |`);
console.log(
  `| Gateway.call: middleware + router + provider | ${gatewayUs.map(round1).join(' / ')} | ${round1(best(gatewayUs))} | ${(best(gatewayUs) / best(directUs)).toFixed(2)}x |`,
);
console.log('');
console.log(`the gateway's own cost: ${round1(ownUs)} µs per call (best gateway round minus best direct round)`);
console.log(
  JSON.stringify({
    gateway_us_per_call: round1(best(gatewayUs)),
    direct_us_per_call: round1(best(directUs)),
    gateway_own_us_per_call: round1(ownUs),
    ratio: Number((best(gatewayUs) / best(directUs)).toFixed(3)),
    calls_per_round: callsPerRound,
    rounds,
  }),
);
