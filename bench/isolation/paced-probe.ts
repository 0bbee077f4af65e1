import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ChildProcesses } from '../gateway/child-processes.js';

const benchDirectory = dirname(fileURLToPath(import.meta.url));

// What paced-get.lua's done() prints after `BENCH_RESULT `.
const resultSchema = z.object({
  requests: z.number(),
  duration_us: z.number(),
  non_2xx: z.number(),
  socket_errors: z.number(),
  latency_us: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), p999: z.number(), max: z.number(), mean: z.number() }),
});

export interface ProbeResult {
  requests: number;
  rps: number;
  failed: number;
  latencyMs: { p50: number; p90: number; p99: number; p999: number; max: number };
}

export interface ProbeOptions {
  url: string;
  headers: Readonly<Record<string, string>>;
  durationSeconds: number;
  /** Two connections, each pausing this long before every request: ~200 req/s at 9 ms. */
  delayMs: number;
}

/**
 * Paced GET load with wrk (a separate C process, so the load generator does not share a
 * JavaScript event loop with anything it measures): 1 thread, 2 connections, each waiting
 * `delayMs` before each request. Latency is wrk's, from request write to response.
 */
export async function pacedProbe(children: ChildProcesses, wrk: string, options: ProbeOptions): Promise<ProbeResult> {
  const script = join(benchDirectory, 'paced-get.lua');
  const args = [
    '-t1',
    '-c2',
    `-d${options.durationSeconds}s`,
    '--timeout',
    '5s',
    '-s',
    script,
    ...Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
    options.url,
  ];
  const result = await children.run('wrk', wrk, args, {
    cwd: benchDirectory,
    env: { ...process.env, BENCH_DELAY_MS: String(options.delayMs) },
    timeoutMs: (options.durationSeconds + 20) * 1000,
  });
  const line = result.output.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (result.status !== 'exit 0' || !line) throw new Error(`wrk ${args.join(' ')} ended with ${result.status} and no result line; its output:\n${result.output}`);
  const raw = resultSchema.parse(JSON.parse(line.slice('BENCH_RESULT '.length)));
  const ms = (microseconds: number) => microseconds / 1000;
  return {
    requests: raw.requests,
    rps: raw.requests / (raw.duration_us / 1e6),
    failed: raw.non_2xx + raw.socket_errors,
    latencyMs: { p50: ms(raw.latency_us.p50), p90: ms(raw.latency_us.p90), p99: ms(raw.latency_us.p99), p999: ms(raw.latency_us.p999), max: ms(raw.latency_us.max) },
  };
}
