import type { TargetMeasurement } from './measure-target.js';
import { targetOrder as order, type TargetId } from './target.js';

export interface BenchOutcome {
  measurements: Partial<Record<TargetId, TargetMeasurement>>;
  /** Why a target has no measurement at all (it failed to build, start or answer). */
  failures: Partial<Record<TargetId, string>>;
  /** What the single pre-flight requests returned, one line each. */
  probes: string[];
  portkeyStreamProbeStatus: number | null;
  /** Load average, idle RSS: what a reader needs to judge how noisy this run was. */
  environment: string[];
}

type Figure = number | null;

function fixed(value: Figure, digits: number, suffix = ''): string {
  return value === null || !Number.isFinite(value) ? '—' : `${value.toFixed(digits)}${suffix}`;
}

function pair(a: Figure, b: Figure): string {
  return a === null && b === null ? '—' : `${fixed(a, 2)} / ${fixed(b, 2)}`;
}

function minus(a: Figure | undefined, b: Figure | undefined): Figure {
  return a == null || b == null ? null : a - b;
}

/** A ratio only means something when both sides were measured and the denominator is positive. */
function ratio(numerator: Figure, denominator: Figure): Figure {
  return numerator === null || denominator === null || denominator <= 0 ? null : numerator / denominator;
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

export function report(outcome: BenchOutcome): string[] {
  const out: string[] = [];
  const m = outcome.measurements;
  const direct = m.direct;

  out.push('', 'Environment:', ...outcome.environment.map((line) => `  ${line}`));
  out.push('', 'Pre-flight single requests:', ...outcome.probes.map((probe) => `  ${probe}`));

  out.push('', 'Every wrk run (RPS counts answers below 400 only; a run with >1% errors is INVALID and not used):');
  const runRows = order.flatMap((id) =>
    (m[id]?.runs ?? []).map((record) => [
      id,
      record.run,
      fixed(record.result.rps, 0),
      fixed(record.result.latencyMs.p50, 2),
      fixed(record.result.latencyMs.p99, 2),
      String(record.result.requests),
      String(record.result.non2xx),
      record.result.socketErrors === 0 ? '0' : `${record.result.socketErrors} (${record.result.socketErrorDetail})`,
      fixed(record.cpuMsPerRequest, 3),
      record.result.valid ? 'yes' : 'INVALID',
    ]),
  );
  out.push(...table(['target', 'run', 'RPS', 'p50 ms', 'p99 ms', 'requests', 'HTTP errors', 'socket errors', 'CPU ms/req', 'valid'], runRows));
  for (const record of order.flatMap((id) => m[id]?.runs ?? [])) {
    if (record.result.firstError) out.push(`  ${record.target} ${record.run}: first error answer: ${record.result.firstError}`);
    if (record.note) out.push(`  ${record.target} ${record.run}: ${record.note}`);
  }

  out.push('', 'Summary (latency from the paced ~500 RPS runs; "added" = target minus direct in the same run):');
  const rows = order.map((id) => {
    const target = m[id];
    if (!target) return [id, 'FAILED (see below)'];
    const isDirect = id === 'direct';
    return [
      id,
      fixed(target.maxRps, 0),
      isDirect ? '1.00x' : fixed(ratio(target.maxRps, direct?.maxRps ?? null), 2, 'x'),
      isDirect ? '—' : fixed(ratio(target.maxRps, m.floor?.maxRps ?? null), 2, 'x'),
      pair(target.paced?.latencyMs.p50 ?? null, target.paced?.latencyMs.p99 ?? null),
      isDirect ? '—' : pair(minus(target.paced?.latencyMs.p50, direct?.paced?.latencyMs.p50), minus(target.paced?.latencyMs.p99, direct?.paced?.latencyMs.p99)),
      target.stream ? pair(target.stream.latencyMs.p50, target.stream.latencyMs.p99) : 'FAILED',
      isDirect || !target.stream ? '—' : pair(minus(target.stream.latencyMs.p50, direct?.stream?.latencyMs.p50), minus(target.stream.latencyMs.p99, direct?.stream?.latencyMs.p99)),
      fixed(target.rssMb, 1),
      fixed(target.cpuMsPerRequest, 3),
      `${sum(target, 'non2xx')} / ${sum(target, 'socketErrors')}`,
    ];
  });
  out.push(
    ...table(
      [
        'target',
        'max RPS',
        'vs direct',
        'vs floor',
        'paced p50/p99 ms',
        'added p50/p99 ms',
        'stream p50/p99 ms',
        'stream added p50/p99',
        'RSS MB',
        'CPU ms/req',
        'HTTP / socket errors',
      ],
      rows,
    ),
  );
  for (const id of order) {
    const cacheAnswers = m[id]?.paced?.cacheAnswers ?? 0;
    if (cacheAnswers > 0) out.push(`  ${id}: ${cacheAnswers} paced answers came from a cache although every body is unique: its figures are not all misses`);
    const reason = m[id]?.streamFailure;
    if (reason) out.push(`  ${id} streaming: ${reason}`);
    const failure = outcome.failures[id];
    if (failure) out.push(`  ${id} FAILED:`, ...failure.split('\n').map((line) => `    ${line}`));
  }

  const figures = summaryFigures(outcome);
  out.push('', 'Ratios:');
  const ratios: Array<[string, Figure]> = [
    ['breakwater_max_rps / floor_max_rps', ratio(figures.breakwater_max_rps, figures.floor_max_rps)],
    ['breakwater_governed_max_rps / floor_max_rps', ratio(figures.breakwater_governed_max_rps, figures.floor_max_rps)],
    ['breakwater_added_p50 / floor_added_p50', ratio(figures.breakwater_added_p50_ms, figures.floor_added_p50_ms)],
    ['breakwater_added_p99 / floor_added_p99', ratio(figures.breakwater_added_p99_ms, figures.floor_added_p99_ms)],
    ['breakwater_cpu_ms_per_request / floor_cpu_ms_per_request', ratio(figures.breakwater_cpu_ms_per_request, figures.floor_cpu_ms_per_request)],
    ['breakwater_rss_mb / floor_rss_mb', ratio(figures.breakwater_rss_mb, figures.floor_rss_mb)],
    ['breakwater_max_rps / portkey_max_rps', ratio(figures.breakwater_max_rps, figures.portkey_max_rps)],
    ['breakwater_max_rps / direct_max_rps', ratio(figures.breakwater_max_rps, figures.direct_max_rps)],
    ['portkey_max_rps / direct_max_rps', ratio(figures.portkey_max_rps, figures.direct_max_rps)],
    ['portkey_added_p50 / breakwater_added_p50', ratio(figures.portkey_added_p50_ms, figures.breakwater_added_p50_ms)],
    ['portkey_added_p99 / breakwater_added_p99', ratio(figures.portkey_added_p99_ms, figures.breakwater_added_p99_ms)],
    ['portkey_cpu_ms_per_request / breakwater_cpu_ms_per_request', ratio(figures.portkey_cpu_ms_per_request, figures.breakwater_cpu_ms_per_request)],
    ['breakwater_cpu_ms_per_request / direct_cpu_ms_per_request', ratio(figures.breakwater_cpu_ms_per_request, figures.direct_cpu_ms_per_request)],
    ['portkey_rss_mb / breakwater_rss_mb', ratio(figures.portkey_rss_mb, figures.breakwater_rss_mb)],
  ];
  for (const [name, value] of ratios) out.push(`  ${name} = ${value === null ? 'n/a (a side is missing or not positive)' : value.toFixed(2)}`);
  out.push(
    `  breakwater self-reported overhead (x-breakwater-overhead-ms, paced run): p50 ${fixed(figures.breakwater_self_overhead_p50_ms, 3)} ms, ` +
      `p99 ${fixed(figures.breakwater_self_overhead_p99_ms, 3)} ms over ${m.breakwater?.paced?.overheadMs.count ?? 0} answers; ` +
      `governed p50 ${fixed(figures.breakwater_governed_self_overhead_p50_ms, 3)} ms, p99 ${fixed(figures.breakwater_governed_self_overhead_p99_ms, 3)} ms`,
  );
  out.push('', 'Targets (issue 14; a ratio carries over between machines, an absolute figure does not):', ...targetChecks(figures));
  out.push(JSON.stringify(figures));
  return out;
}

function sum(target: TargetMeasurement, field: 'non2xx' | 'socketErrors'): number {
  return target.runs.reduce((total, record) => total + record.result[field], 0);
}

/** The "done when", each line pass / FAIL / n/a with the figures it compares. */
function targetChecks(figures: ReturnType<typeof summaryFigures>): string[] {
  const check = (name: string, value: Figure, bound: Figure, atMost: boolean) => {
    const verdict = value === null || bound === null ? 'n/a' : (atMost ? value <= bound : value >= bound) ? 'pass' : 'FAIL';
    return `  ${verdict.padEnd(4)}  ${name}: ${fixed(value, 3)} ${atMost ? '<=' : '>='} ${fixed(bound, 3)}`;
  };
  const times = (value: Figure, factor: number): Figure => (value === null ? null : value * factor);
  return [
    check('breakwater_max_rps >= 0.5 x floor_max_rps', figures.breakwater_max_rps, times(figures.floor_max_rps, 0.5), false),
    check('breakwater_max_rps >= 3.5 x portkey_max_rps', figures.breakwater_max_rps, times(figures.portkey_max_rps, 3.5), false),
    check('breakwater_governed_max_rps >= 0.4 x floor_max_rps', figures.breakwater_governed_max_rps, times(figures.floor_max_rps, 0.4), false),
    check('breakwater_added_p50_ms <= 1.5 x floor_added_p50_ms', figures.breakwater_added_p50_ms, times(figures.floor_added_p50_ms, 1.5), true),
    check('breakwater_added_p99_ms <= portkey_added_p99_ms / 3', figures.breakwater_added_p99_ms, times(figures.portkey_added_p99_ms, 1 / 3), true),
    check('breakwater_self_overhead_p99_ms <= 0.5', figures.breakwater_self_overhead_p99_ms, 0.5, true),
    check('breakwater_rss_mb <= portkey_rss_mb', figures.breakwater_rss_mb, figures.portkey_rss_mb, true),
  ];
}

export function summaryFigures(outcome: BenchOutcome) {
  const { direct, floor, breakwater, governed, portkey } = outcome.measurements;
  const added = (target: TargetMeasurement | undefined, mode: 'paced' | 'stream', p: 'p50' | 'p99') => minus(target?.[mode]?.latencyMs[p], direct?.[mode]?.latencyMs[p]);
  return roundAll({
    direct_max_rps: direct?.maxRps ?? null,
    breakwater_max_rps: breakwater?.maxRps ?? null,
    portkey_max_rps: portkey?.maxRps ?? null,
    direct_p50_ms: direct?.paced?.latencyMs.p50 ?? null,
    direct_p99_ms: direct?.paced?.latencyMs.p99 ?? null,
    breakwater_added_p50_ms: added(breakwater, 'paced', 'p50'),
    breakwater_added_p99_ms: added(breakwater, 'paced', 'p99'),
    portkey_added_p50_ms: added(portkey, 'paced', 'p50'),
    portkey_added_p99_ms: added(portkey, 'paced', 'p99'),
    breakwater_self_overhead_p50_ms: breakwater?.paced?.overheadMs.p50 ?? null,
    breakwater_self_overhead_p99_ms: breakwater?.paced?.overheadMs.p99 ?? null,
    floor_max_rps: floor?.maxRps ?? null,
    floor_added_p50_ms: added(floor, 'paced', 'p50'),
    floor_added_p99_ms: added(floor, 'paced', 'p99'),
    floor_stream_added_p50_ms: added(floor, 'stream', 'p50'),
    floor_stream_added_p99_ms: added(floor, 'stream', 'p99'),
    floor_cpu_ms_per_request: floor?.cpuMsPerRequest ?? null,
    floor_rss_mb: floor?.rssMb ?? null,
    breakwater_governed_max_rps: governed?.maxRps ?? null,
    breakwater_governed_added_p50_ms: added(governed, 'paced', 'p50'),
    breakwater_governed_added_p99_ms: added(governed, 'paced', 'p99'),
    breakwater_governed_self_overhead_p50_ms: governed?.paced?.overheadMs.p50 ?? null,
    breakwater_governed_self_overhead_p99_ms: governed?.paced?.overheadMs.p99 ?? null,
    breakwater_governed_cpu_ms_per_request: governed?.cpuMsPerRequest ?? null,
    breakwater_governed_rss_mb: governed?.rssMb ?? null,
    direct_stream_p50_ms: direct?.stream?.latencyMs.p50 ?? null,
    direct_stream_p99_ms: direct?.stream?.latencyMs.p99 ?? null,
    breakwater_stream_added_p50_ms: added(breakwater, 'stream', 'p50'),
    breakwater_stream_added_p99_ms: added(breakwater, 'stream', 'p99'),
    breakwater_stream_self_overhead_p50_ms: breakwater?.stream?.overheadMs.p50 ?? null,
    breakwater_stream_self_overhead_p99_ms: breakwater?.stream?.overheadMs.p99 ?? null,
    portkey_stream_added_p50_ms: added(portkey, 'stream', 'p50'),
    portkey_stream_added_p99_ms: added(portkey, 'stream', 'p99'),
    portkey_stream_probe_status: outcome.portkeyStreamProbeStatus,
    direct_cpu_ms_per_request: direct?.cpuMsPerRequest ?? null,
    breakwater_cpu_ms_per_request: breakwater?.cpuMsPerRequest ?? null,
    portkey_cpu_ms_per_request: portkey?.cpuMsPerRequest ?? null,
    direct_rss_mb: direct?.rssMb ?? null,
    breakwater_rss_mb: breakwater?.rssMb ?? null,
    portkey_rss_mb: portkey?.rssMb ?? null,
  });
}

function roundAll<T extends Record<string, Figure>>(figures: T): { [K in keyof T]: Figure } {
  const rounded = {} as { [K in keyof T]: Figure };
  for (const name of Object.keys(figures) as Array<keyof T>) {
    const value = figures[name];
    rounded[name] = value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 1000;
  }
  return rounded;
}
