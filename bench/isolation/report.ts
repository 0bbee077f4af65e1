import type { ProbeResult } from './paced-probe.js';

export interface Phase {
  jobRead: ProbeResult;
  healthz: ProbeResult;
  /** The bare node:http control server on the same machine (control-server.ts). */
  control: ProbeResult;
  rssMb: { api: number; workers: number[]; upstream: number };
  /** CPU over both probes, % of one core: api, each worker, upstream. */
  cpuPercent: number[];
}

export interface IsolationOutcome {
  idle: Phase;
  loaded: Phase;
  /** Upstream requests open (jobs held by the workers) while the loaded probes ran. */
  inFlight: { target: number; min: number; mean: number; max: number; reachedAtStart: number; secondsToReach: number | null };
  /** Jobs submitted during the loaded probes to replace the ones that finished. */
  topUpPerSecond: number;
  jobStatuses: Record<string, number>;
  /** 1-minute load average after the loaded probes, and the machine's cores. */
  machine: { loadAverage: number; cores: number; workerNice: number };
  warnings: string[];
}

const targets = { p99Ms: 5, ratio: 2, apiRssMb: 512 };

/** The readable table, then one JSON line (always the last line). */
export function report(outcome: IsolationOutcome): string[] {
  const { idle, loaded } = outcome;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  const ms = (value: number) => value.toFixed(2).padStart(9);
  const row = (label: string, idleValue: number, loadedValue: number) =>
    `${label.padEnd(30)}${ms(idleValue)}${ms(loadedValue)}${ratio(loadedValue, idleValue).toFixed(2).padStart(9)}x`;
  const jobP99Ratio = ratio(loaded.jobRead.latencyMs.p99, idle.jobRead.latencyMs.p99);
  const healthP99Ratio = ratio(loaded.healthz.latencyMs.p99, idle.healthz.latencyMs.p99);
  const lines = [
    '',
    `API latency (ms), wrk paced: 2 connections, ~200 req/s, ${Math.round(idle.jobRead.requests / Math.max(1, idle.jobRead.rps))} s per probe`,
    `${''.padEnd(30)}${'idle'.padStart(9)}${'loaded'.padStart(9)}${'ratio'.padStart(10)}`,
    row('GET /v1/jobs/:id p50', idle.jobRead.latencyMs.p50, loaded.jobRead.latencyMs.p50),
    row('GET /v1/jobs/:id p90', idle.jobRead.latencyMs.p90, loaded.jobRead.latencyMs.p90),
    row('GET /v1/jobs/:id p99', idle.jobRead.latencyMs.p99, loaded.jobRead.latencyMs.p99),
    row('GET /v1/jobs/:id max', idle.jobRead.latencyMs.max, loaded.jobRead.latencyMs.max),
    row('GET /healthz p50', idle.healthz.latencyMs.p50, loaded.healthz.latencyMs.p50),
    row('GET /healthz p99', idle.healthz.latencyMs.p99, loaded.healthz.latencyMs.p99),
    row('GET /healthz max', idle.healthz.latencyMs.max, loaded.healthz.latencyMs.max),
    row('control (bare node:http) p50', idle.control.latencyMs.p50, loaded.control.latencyMs.p50),
    row('control (bare node:http) p99', idle.control.latencyMs.p99, loaded.control.latencyMs.p99),
    row('control (bare node:http) max', idle.control.latencyMs.max, loaded.control.latencyMs.max),
    `${'req/s (jobs / healthz)'.padEnd(30)}${`${idle.jobRead.rps.toFixed(0)}/${idle.healthz.rps.toFixed(0)}`.padStart(9)}${`${loaded.jobRead.rps.toFixed(0)}/${loaded.healthz.rps.toFixed(0)}`.padStart(9)}`,
    `${'failed requests'.padEnd(30)}${String(idle.jobRead.failed + idle.healthz.failed).padStart(9)}${String(loaded.jobRead.failed + loaded.healthz.failed).padStart(9)}`,
    `The control is a bare node:http server (control-server.ts), not Breakwater: its loaded p99 is what this machine's shared CPU alone adds to any process under this load.`,
    '',
    `${'process'.padEnd(30)}${'RSS MB idle'.padStart(12)}${'loaded'.padStart(8)}${'CPU % idle'.padStart(12)}${'loaded'.padStart(8)}`,
    ...['api', ...loaded.rssMb.workers.map((_mb, index) => `worker ${index + 1}`), 'mock upstream'].map((name, index, names) => {
      const pick = (phase: Phase) => (index === 0 ? phase.rssMb.api : index === names.length - 1 ? phase.rssMb.upstream : (phase.rssMb.workers[index - 1] ?? 0));
      const cpu = (phase: Phase) => (phase.cpuPercent[index] ?? 0).toFixed(0);
      return `${name.padEnd(30)}${pick(idle).toFixed(0).padStart(12)}${pick(loaded).toFixed(0).padStart(8)}${cpu(idle).padStart(12)}${cpu(loaded).padStart(8)}`;
    }),
    '',
    `Jobs in flight (open upstream calls) during the loaded probes: min ${outcome.inFlight.min}, mean ${outcome.inFlight.mean.toFixed(0)}, max ${outcome.inFlight.max} of ${outcome.inFlight.target}` +
      ` (reached ${outcome.inFlight.reachedAtStart}${outcome.inFlight.secondsToReach === null ? '' : ` ${outcome.inFlight.secondsToReach.toFixed(1)} s after the first submission`}; topped up at ${outcome.topUpPerSecond.toFixed(1)} jobs/s)`,
    `Machine: ${outcome.machine.cores} cores, 1-minute load average ${outcome.machine.loadAverage.toFixed(2)} after the loaded probes; workers at nice ${outcome.machine.workerNice}, the API at 0`,
    `Job statuses at the end: ${
      Object.entries(outcome.jobStatuses)
        .map(([status, count]) => `${status} ${count}`)
        .join(', ') || 'none'
    }`,
    `Targets: API p99 <= ${targets.p99Ms} ms loaded: ${verdict(loaded.jobRead.latencyMs.p99 <= targets.p99Ms)}; <= ${targets.ratio}x idle: ${verdict(jobP99Ratio <= targets.ratio)}; API RSS <= ${targets.apiRssMb} MB: ${verdict(loaded.rssMb.api <= targets.apiRssMb)}`,
    ...outcome.warnings.map((warning) => `WARNING: ${warning}`),
    JSON.stringify({
      api_p99_ms_idle: round(idle.jobRead.latencyMs.p99),
      api_p99_ms_loaded: round(loaded.jobRead.latencyMs.p99),
      api_p99_ratio: round(jobP99Ratio),
      worker_nice: outcome.machine.workerNice,
      api_p50_ms_idle: round(idle.jobRead.latencyMs.p50),
      api_p50_ms_loaded: round(loaded.jobRead.latencyMs.p50),
      healthz_p99_ms_idle: round(idle.healthz.latencyMs.p99),
      healthz_p99_ms_loaded: round(loaded.healthz.latencyMs.p99),
      healthz_p99_ratio: round(healthP99Ratio),
      control_p99_ms_idle: round(idle.control.latencyMs.p99),
      control_p99_ms_loaded: round(loaded.control.latencyMs.p99),
      api_rss_mb: round(loaded.rssMb.api),
      worker_rss_mb: loaded.rssMb.workers.map(round),
      upstream_rss_mb: round(loaded.rssMb.upstream),
      cpu_percent_loaded: { api: round(loaded.cpuPercent[0] ?? 0), workers: loaded.cpuPercent.slice(1, -1).map(round), upstream: round(loaded.cpuPercent.at(-1) ?? 0) },
      in_flight_min: outcome.inFlight.min,
      in_flight_mean: Math.round(outcome.inFlight.mean),
      in_flight_target: outcome.inFlight.target,
      probe_rps: round(loaded.jobRead.rps),
      targets_met: loaded.jobRead.latencyMs.p99 <= targets.p99Ms && jobP99Ratio <= targets.ratio && loaded.rssMb.api <= targets.apiRssMb,
      warnings: outcome.warnings.length,
    }),
  ];
  return lines;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
