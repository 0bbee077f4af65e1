import { piiTypes, type PiiType } from '../../src/core/pii/pii-type.js';
import { precision, recall, sum, type Mistake, type TypeScore } from './score.js';

export interface PiiBenchFigures {
  environment: string;
  sentences: number;
  heldOutSentences: number;
  full: Map<PiiType, TypeScore>;
  rulesOnly: Map<PiiType, TypeScore>;
  heldOut: Map<PiiType, TypeScore>;
  lenientFull: Map<PiiType, TypeScore>;
  mistakes: Mistake[];
  throughput: { full: number; rulesOnly: number; megabytes: number };
  /** Keys appended to the JSON line (the blind set's twins). */
  extra?: Record<string, number | string | null>;
  /** Printed before everything else: the blind headline beside the dev figures. */
  headline?: string[];
}

const fixed = (value: number) => value.toFixed(3);
const round = (value: number, digits: number) => Number(value.toFixed(digits));
const structured = (scores: Map<PiiType, TypeScore>) => sum([...scores].filter(([type]) => type !== 'NAME' && type !== 'ADDRESS').map(([, score]) => score));
const of = (scores: Map<PiiType, TypeScore>, type: PiiType) => scores.get(type) ?? { truePositives: 0, falsePositives: 0, falseNegatives: 0 };

function table(header: readonly string[], rows: readonly string[][]): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

export function report(figures: PiiBenchFigures): string[] {
  const { full, rulesOnly, heldOut, lenientFull, throughput } = figures;
  const row = (label: string, score: TypeScore) => [
    label,
    String(score.truePositives + score.falseNegatives),
    String(score.truePositives),
    String(score.falsePositives),
    String(score.falseNegatives),
    fixed(recall(score)),
    fixed(precision(score)),
  ];
  const structuredFull = structured(full);
  const structuredHeldOut = structured(heldOut);
  return [
    ...(figures.headline ? [...figures.headline, ''] : []),
    `bench:pii — ${figures.sentences} labelled sentences (+ ${figures.heldOutSentences} held out), exact span match; ${figures.environment}`,
    '',
    ...table(
      ['type', 'labels', 'found', 'false +', 'missed', 'recall', 'precision'],
      [
        ...piiTypes.filter((type) => full.has(type)).map((type) => row(type, of(full, type))),
        row('structured (all but NAME, ADDRESS)', structuredFull),
        row('held out: structured', structuredHeldOut),
      ],
    ),
    '',
    ...table(
      ['names and addresses', 'recall', 'precision', 'recall (overlap)', 'precision (overlap)'],
      [
        [
          'NAME, rules + compromise',
          fixed(recall(of(full, 'NAME'))),
          fixed(precision(of(full, 'NAME'))),
          fixed(recall(of(lenientFull, 'NAME'))),
          fixed(precision(of(lenientFull, 'NAME'))),
        ],
        ['NAME, rules only (baseline)', fixed(recall(of(rulesOnly, 'NAME'))), fixed(precision(of(rulesOnly, 'NAME'))), '', ''],
        ['NAME, held out', fixed(recall(of(heldOut, 'NAME'))), fixed(precision(of(heldOut, 'NAME'))), '', ''],
        [
          'ADDRESS (rules)',
          fixed(recall(of(full, 'ADDRESS'))),
          fixed(precision(of(full, 'ADDRESS'))),
          fixed(recall(of(lenientFull, 'ADDRESS'))),
          fixed(precision(of(lenientFull, 'ADDRESS'))),
        ],
        ['ADDRESS, held out', fixed(recall(of(heldOut, 'ADDRESS'))), fixed(precision(of(heldOut, 'ADDRESS'))), '', ''],
      ],
    ),
    '',
    ...table(
      ['throughput', 'MB/s', 'vs rules only'],
      [
        ['all types, rules + compromise', throughput.full.toFixed(3), (throughput.full / throughput.rulesOnly).toFixed(3)],
        ['all types, rules only (nlp: false)', throughput.rulesOnly.toFixed(3), '1.000'],
      ],
    ),
    `(each over ${throughput.megabytes.toFixed(1)} MB of the corpus repeated)`,
    '',
    `dev mistakes (${figures.mistakes.length}):`,
    ...figures.mistakes.map(
      (mistake) =>
        `  ${mistake.kind} ${mistake.type} ${JSON.stringify(mistake.value)} in ${JSON.stringify(mistake.text.length > 90 ? `${mistake.text.slice(0, 90)}…` : mistake.text)}`,
    ),
    '',
    JSON.stringify({
      sentences: figures.sentences,
      structured_recall: round(recall(structuredFull), 4),
      structured_precision: round(precision(structuredFull), 4),
      held_out_structured_recall: round(recall(structuredHeldOut), 4),
      held_out_structured_precision: round(precision(structuredHeldOut), 4),
      names_recall: round(recall(of(full, 'NAME')), 4),
      names_precision: round(precision(of(full, 'NAME')), 4),
      names_recall_rules_only: round(recall(of(rulesOnly, 'NAME')), 4),
      names_precision_rules_only: round(precision(of(rulesOnly, 'NAME')), 4),
      address_recall: round(recall(of(full, 'ADDRESS')), 4),
      address_precision: round(precision(of(full, 'ADDRESS')), 4),
      mb_per_s: round(throughput.full, 3),
      mb_per_s_rules_only: round(throughput.rulesOnly, 3),
      ...figures.extra,
    }),
  ];
}
