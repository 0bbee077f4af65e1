import type { Verdict } from '../../test/support/response-verdict.js';
import type { ProbeSample } from './probe-worker.js';
import type { SlowClientResult } from './slowloris.js';

/** One storm request's fate. */
export interface Outcome {
  category: string;
  label: string;
  phase: string;
  startedAt: number;
  ms: number;
  /** A verdict, or: no answer within the hang timeout; a connection error; not sent (server unresponsive). */
  result: Verdict | { kind: 'hang' } | { kind: 'error'; message: string } | { kind: 'skipped' };
  /** The start of a bad answer, for the report. */
  sample?: string;
}

export interface HostileReport {
  outcomes: Outcome[];
  idle: ProbeSample[];
  storm: ProbeSample[];
  slowClients: SlowClientResult[];
  requestTimeoutMs: number;
  notes: string[];
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
const round = (value: number) => Math.round(value * 10) / 10;

/** The report as lines: one table row per category, the worst probe windows, then one JSON line. */
export function report(data: HostileReport): string[] {
  const lines: string[] = [];
  const categories = [...new Set(data.outcomes.map((outcome) => outcome.category))];
  const header = ['category', 'requests', '2xx', '4xx', '5xx', 'hangs', 'bad env.', 'no answer', 'errors', 'p50 ms', 'p99 ms', 'max ms'];
  const rows = [...categories, 'ALL'].map((category) => {
    const rowOutcomes = data.outcomes.filter((outcome) => (category === 'ALL' || outcome.category === category) && outcome.result.kind !== 'skipped');
    const count = (kinds: string[]) => rowOutcomes.filter((outcome) => kinds.includes(outcome.result.kind)).length;
    const times = rowOutcomes
      .filter((outcome) => outcome.result.kind !== 'hang')
      .map((outcome) => outcome.ms)
      .sort((a, b) => a - b);
    return [
      category,
      rowOutcomes.length,
      count(['ok']),
      count(['client-error']),
      count(['fivexx']),
      count(['hang']),
      count(['bad-envelope', 'leak']),
      count(['no-answer']),
      count(['error']),
      round(percentile(times, 50)),
      round(percentile(times, 99)),
      round(times.at(-1) ?? 0),
    ].map(String);
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  lines.push('', format(header), ...rows.map(format));

  const codes = new Map<string, number>();
  for (const outcome of data.outcomes)
    if (outcome.result.kind === 'client-error')
      codes.set(`${outcome.result.status} ${outcome.result.code}`, (codes.get(`${outcome.result.status} ${outcome.result.code}`) ?? 0) + 1);
  lines.push(
    '',
    `4xx by code: ${[...codes]
      .sort((a, b) => b[1] - a[1])
      .map(([code, count]) => `${code} ×${count}`)
      .join(', ')}`,
  );

  const bad = data.outcomes.filter((outcome) => ['fivexx', 'hang', 'bad-envelope', 'leak', 'no-answer', 'error'].includes(outcome.result.kind));
  if (bad.length > 0) {
    lines.push('', `Findings (${bad.length}; first 25):`);
    for (const outcome of bad.slice(0, 25))
      lines.push(
        `  [${outcome.phase}] ${outcome.category}: ${outcome.label} → ${JSON.stringify(outcome.result)} after ${Math.round(outcome.ms)} ms ${outcome.sample ? `| ${outcome.sample}` : ''}`,
      );
  }
  const skipped = data.outcomes.filter((outcome) => outcome.result.kind === 'skipped').length;
  if (skipped > 0) lines.push('', `${skipped} requests not sent: the server stopped answering /healthz (see above).`);

  const idleSorted = data.idle.map((sample) => sample.ms).sort((a, b) => a - b);
  const stormSorted = data.storm.map((sample) => sample.ms).sort((a, b) => a - b);
  const idleMax = idleSorted.at(-1) ?? 0;
  const stormMax = stormSorted.at(-1) ?? 0;
  lines.push(
    '',
    `/healthz probe (every 10 ms, own connection, from a worker thread): idle ${data.idle.length} probes p50 ${round(percentile(idleSorted, 50))} / p99 ${round(percentile(idleSorted, 99))} / max ${round(idleMax)} ms; ` +
      `under the storm ${data.storm.length} probes p50 ${round(percentile(stormSorted, 50))} / p99 ${round(percentile(stormSorted, 99))} / max ${round(stormMax)} ms (${data.storm.filter((sample) => !sample.ok).length} failed).`,
  );
  lines.push('Worst probes and the storm requests in flight when each was sent:');
  for (const sample of [...data.storm].sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    const inFlight = data.outcomes.filter(
      (outcome) => outcome.result.kind !== 'skipped' && outcome.startedAt <= sample.at + sample.ms && outcome.startedAt + outcome.ms >= sample.at,
    );
    lines.push(
      `  ${round(sample.ms)} ms: ${
        inFlight
          .slice(0, 4)
          .map((outcome) => `${outcome.category}: ${outcome.label} (${Math.round(outcome.ms)} ms)`)
          .join('; ') || 'nothing in flight'
      }${inFlight.length > 4 ? `; +${inFlight.length - 4} more` : ''}`,
    );
  }

  const slowClosed = data.slowClients.filter((client) => client.closedAfterMs !== null);
  const slow408 = data.slowClients.filter((client) => client.status === 408).length;
  const slowMax = Math.max(0, ...slowClosed.map((client) => client.closedAfterMs!));
  lines.push(
    '',
    `Slowloris: ${data.slowClients.length} connections trickling a byte every 500 ms (half never finish their headers, half their body): ${slowClosed.length} closed by the server, ${slow408} of them with 408, ` +
      `the last after ${Math.round(slowMax)} ms (server.requestTimeoutMs ${data.requestTimeoutMs}).`,
  );
  for (const note of data.notes) lines.push(note);

  const sent = data.outcomes.filter((outcome) => outcome.result.kind !== 'skipped');
  const kindCount = (kind: string) => sent.filter((outcome) => outcome.result.kind === kind).length;
  lines.push(
    JSON.stringify({
      requests: sent.length,
      fivexx: kindCount('fivexx'),
      hangs: kindCount('hang'),
      bad_envelope: kindCount('bad-envelope') + kindCount('leak'),
      max_loop_delay_ms: round(stormMax),
      idle_max_probe_ms: round(idleMax),
      loop_delay_ratio: idleMax > 0 ? round(stormMax / idleMax) : null,
      storm_p99_probe_ms: round(percentile(stormSorted, 99)),
      no_answer: kindCount('no-answer'),
      connection_errors: kindCount('error'),
      not_sent: data.outcomes.length - sent.length,
      slowloris_connections: data.slowClients.length,
      slowloris_closed_by_server: slowClosed.length,
      slowloris_408: slow408,
      slowloris_max_close_ms: Math.round(slowMax),
    }),
  );
  return lines;
}
