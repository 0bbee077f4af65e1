import { wrongKinds, type AnswerKind } from './model-answers.js';

export interface BaselineRun {
  count: number;
  valid: number;
  /** Answers JSON.parse accepts but the schema rejects: what a caller without validation would write. */
  parsedButInvalid: number;
  wallMs: number;
  inputTokens: number;
  outputTokens: number;
  byKind: Partial<Record<AnswerKind, { count: number; valid: number }>>;
}

export interface EngineRun {
  count: number;
  /** validWithin[n]: extractions that returned a record after at most n calls. */
  validWithin: number[];
  failed: number;
  /** Records returned as ok that the independent validator rejects. Must be 0. */
  invalidWritten: number;
  /** Records returned as ok that differ from the document's true invoice. */
  wrongValuesWritten: number;
  calls: number;
  firstAnswers: { total: number; wrong: number };
  reasks: { total: number; correct: number };
  byFirstKind: Partial<Record<AnswerKind, { count: number; validFirstCall: number; validEventually: number; failed: number }>>;
  wallMs: number;
  inputTokens: number;
  outputTokens: number;
}

export interface BenchFigures {
  settings: { extractions: number; seed: number; concurrency: number; maxAttempts: number; wrongRate: number; reaskCorrectRate: number };
  environment: string;
  baseline: BaselineRun;
  engine: EngineRun;
  /** Throughput is the fastest of this many rounds per side. */
  rounds: number;
}

const percent = (part: number, whole: number) => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

export function report({ settings, environment, baseline, engine, rounds }: BenchFigures): string[] {
  const n = engine.count;
  const within = (attempts: number) => engine.validWithin[attempts] ?? 0;
  const engineRate = n / (engine.wallMs / 1000);
  const baselineRate = baseline.count / (baseline.wallMs / 1000);
  const engineTokens = (engine.inputTokens + engine.outputTokens) / n;
  const baselineTokens = (baseline.inputTokens + baseline.outputTokens) / baseline.count;
  const lines: string[] = [
    `bench:structured — ${n} invoice extractions, concurrency ${settings.concurrency}, seed ${settings.seed}`,
    `simulated model: ${settings.wrongRate * 100}% of first answers wrong, re-asks right ${settings.reaskCorrectRate * 100}% of the time; ${environment}`,
    '',
    ...table(
      ['', 'baseline (1 call, JSON.parse, validate)', `engine (validate → repair → re-ask, ≤ ${settings.maxAttempts} calls)`, 'engine / baseline'],
      [
        [
          'valid records',
          percent(baseline.valid, baseline.count),
          percent(within(settings.maxAttempts), n),
          (within(settings.maxAttempts) / n / (baseline.valid / baseline.count)).toFixed(3),
        ],
        ['  within 1 call', percent(baseline.valid, baseline.count), percent(within(1), n), ''],
        ['  within 2 calls', '', percent(within(2), n), ''],
        ['  within 3 calls', '', percent(within(3), n), ''],
        ['no record (failed)', percent(baseline.count - baseline.valid, baseline.count), `${engine.failed} (${percent(engine.failed, n)})`, ''],
        ['invalid records returned as ok', `${baseline.parsedButInvalid} if written unvalidated`, String(engine.invalidWritten), ''],
        ['records ≠ true invoice', '—', String(engine.wrongValuesWritten), ''],
        ['model calls / extraction', '1.000', (engine.calls / n).toFixed(3), (engine.calls / n).toFixed(3)],
        ['tokens / extraction', baselineTokens.toFixed(0), engineTokens.toFixed(0), (engineTokens / baselineTokens).toFixed(3)],
        [`extractions / s (best of ${rounds})`, baselineRate.toFixed(0), engineRate.toFixed(0), (engineRate / baselineRate).toFixed(3)],
      ],
    ),
    '',
    `observed: ${percent(engine.firstAnswers.wrong, engine.firstAnswers.total)} of first answers wrong; ${engine.reasks.total} re-asks, ${percent(engine.reasks.correct, engine.reasks.total)} answered right`,
    '',
    ...table(
      ['first answer', 'count', 'baseline valid', 'engine valid, 1st call', 'engine valid, eventually', 'engine failed'],
      (['correct', ...wrongKinds] as AnswerKind[]).map((kind) => {
        const engineKind = engine.byFirstKind[kind] ?? { count: 0, validFirstCall: 0, validEventually: 0, failed: 0 };
        const baselineKind = baseline.byKind[kind] ?? { count: 0, valid: 0 };
        return [
          kind,
          String(engineKind.count),
          percent(baselineKind.valid, baselineKind.count),
          percent(engineKind.validFirstCall, engineKind.count),
          percent(engineKind.validEventually, engineKind.count),
          String(engineKind.failed),
        ];
      }),
    ),
    '',
    JSON.stringify({
      extractions: n,
      valid_within_1: round(within(1) / n, 4),
      valid_within_2: round(within(2) / n, 4),
      valid_within_3: round(within(3) / n, 4),
      failed_after_3: engine.failed,
      invalid_written: engine.invalidWritten,
      wrong_values_written: engine.wrongValuesWritten,
      wrong_answer_rate: round(engine.firstAnswers.wrong / engine.firstAnswers.total, 4),
      reask_correct_rate: round(engine.reasks.correct / Math.max(1, engine.reasks.total), 4),
      baseline_valid: round(baseline.valid / baseline.count, 4),
      baseline_parsed_but_invalid: baseline.parsedButInvalid,
      valid_ratio_vs_baseline: round(within(settings.maxAttempts) / n / (baseline.valid / baseline.count), 3),
      calls_per_extraction: round(engine.calls / n, 3),
      tokens_ratio_vs_baseline: round(engineTokens / baselineTokens, 3),
      extractions_per_s: round(engineRate, 1),
      baseline_extractions_per_s: round(baselineRate, 1),
    }),
  ];
  return lines;
}
