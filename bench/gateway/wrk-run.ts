import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import type { ChildProcesses } from './child-processes.js';

export interface WrkOptions {
  url: string;
  script: 'closed-loop' | 'paced';
  threads: number;
  connections: number;
  durationSeconds: number;
  model: string;
  stream: boolean;
  /** Makes this run's request bodies differ from every other run's (the cache outlives runs). */
  nonce: string;
  headers: Readonly<Record<string, string>>;
}

// What chat-request.lua's done() prints after `BENCH_RESULT `.
const resultSchema = z.object({
  requests: z.number(),
  duration_us: z.number(),
  bytes: z.number(),
  non_2xx: z.number(),
  socket_errors: z.object({ connect: z.number(), read: z.number(), write: z.number(), timeout: z.number() }),
  latency_us: z.object({ p50: z.number(), p90: z.number(), p99: z.number(), mean: z.number(), max: z.number() }),
  overhead_ms: z.object({ count: z.number(), p50: z.number().nullable(), p99: z.number().nullable() }),
  cache_answers: z.number(),
  first_error: z.string().nullable(),
});

export interface WrkResult {
  requests: number;
  durationSeconds: number;
  /** Successful (status < 400) responses per second. */
  rps: number;
  /** Answers with status >= 400 (wrk's "Non-2xx or 3xx responses"). */
  non2xx: number;
  socketErrors: number;
  socketErrorDetail: string;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  /** x-breakwater-overhead-ms percentiles (paced runs against Breakwater only). */
  overheadMs: { count: number; p50: number | null; p99: number | null };
  /** Answers a cache served (x-breakwater-cache not miss/bypass; paced runs only): every body is unique, so this should be 0. */
  cacheAnswers: number;
  firstError: string | null;
  /**
   * A run where more than 1% of requests failed measures the failure path, not the gateway:
   * its RPS and latency are not used.
   */
  valid: boolean;
}

export function findWrk(): string | undefined {
  for (const directory of ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter)]) {
    const candidate = join(directory, 'wrk');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Keep looking.
    }
  }
  return undefined;
}

export async function runWrk(children: ChildProcesses, wrk: string, benchDirectory: string, options: WrkOptions): Promise<WrkResult> {
  const args = [
    `-t${options.threads}`,
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    // Long enough that a slow answer counts as latency rather than as a timeout error.
    '--timeout',
    '10s',
    '-s',
    join(benchDirectory, `${options.script}.lua`),
    options.url,
    options.model,
    options.stream ? '1' : '0',
    options.nonce,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  const result = await children.run('wrk', wrk, args, { cwd: benchDirectory, env: process.env, timeoutMs: (options.durationSeconds + 20) * 1000 });
  const line = result.output.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (result.status !== 'exit 0' || !line) {
    throw new Error(`wrk ${args.join(' ')} ended with ${result.status} and no result line; its output:\n${result.output}`);
  }
  const raw = resultSchema.parse(JSON.parse(line.slice('BENCH_RESULT '.length)));
  // wrk prints the same counter as "Non-2xx or 3xx responses" (it counts statuses >= 400);
  // read both so that a mismatch can only make the run look worse, never better.
  const printed = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(result.output)?.[1] ?? 0);
  raw.non_2xx = Math.max(raw.non_2xx, printed);
  const socket = raw.socket_errors;
  const socketErrors = socket.connect + socket.read + socket.write + socket.timeout;
  const durationSeconds = raw.duration_us / 1e6;
  const toMs = (microseconds: number) => microseconds / 1000;
  return {
    requests: raw.requests,
    durationSeconds,
    rps: Math.max(0, raw.requests - raw.non_2xx) / durationSeconds,
    non2xx: raw.non_2xx,
    socketErrors,
    socketErrorDetail: `connect ${socket.connect}, read ${socket.read}, write ${socket.write}, timeout ${socket.timeout}`,
    latencyMs: {
      p50: toMs(raw.latency_us.p50),
      p90: toMs(raw.latency_us.p90),
      p99: toMs(raw.latency_us.p99),
      mean: toMs(raw.latency_us.mean),
      max: toMs(raw.latency_us.max),
    },
    overheadMs: raw.overhead_ms,
    cacheAnswers: raw.cache_answers,
    firstError: raw.first_error,
    valid: raw.requests > 0 && raw.non_2xx + socketErrors <= raw.requests * 0.01,
  };
}
