/**
 * bench:pii — precision and recall of detectPii per type on hand-labelled sentences (several
 * locales, with near-misses: order numbers, dates, invalid cards and IBANs, versions), names
 * with and without the NLP tagger, and throughput with and without it. The report goes to
 * stdout and ends with one JSON line. Data: sentences-*.ts in this folder (dev) and
 * eval/blind/pii/*.jsonl (blind: written without seeing the rules; only its aggregates are
 * printed, and they come first, as the headline). README.md says how each set was made.
 *
 *   npm run bench:pii [-- --megabytes=2] [-- --dev-only]
 */
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { detectPii, type DetectOptions } from '../../src/core/pii/detect.js';
import { heldOutSentences, labelledSentences } from './dataset.js';
import { loadBlindSet } from './blind-set.js';
import { headline, sideBySideReport } from './blind-report.js';
import { leakScore, rate, type Tally } from './leak-score.js';
import { report } from './report.js';
import { score } from './score.js';

const argument = (name: string, fallback: number) => Number(process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const megabytes = argument('megabytes', 2);
const devOnly = process.argv.includes('--dev-only');
const blindSet = devOnly ? undefined : loadBlindSet(fileURLToPath(new URL('../../eval/blind/pii/', import.meta.url)));

const full = score(labelledSentences, (text) => detectPii(text));
const rulesOnly = score(labelledSentences, (text) => detectPii(text, { nlp: false }));
const lenient = score(labelledSentences, (text) => detectPii(text), false);
const heldOut = score(heldOutSentences, (text) => detectPii(text));

const devSentences = [...labelledSentences, ...heldOutSentences];
const dev = { rules: leakScore(devSentences, (text) => detectPii(text, { nlp: false })), nlp: leakScore(devSentences, (text) => detectPii(text)), lines: devSentences.length };
const blind = blindSet && {
  rules: leakScore(blindSet.sentences, (text) => detectPii(text, { nlp: false })),
  nlp: leakScore(blindSet.sentences, (text) => detectPii(text)),
  lines: blindSet.sentences.length,
  files: blindSet.files,
  sha256: blindSet.sha256,
};
const blindFigures = blind && headline(blind);
const figure = (tally: Tally | undefined) => (tally && tally.total > 0 ? Number(rate(tally).toFixed(4)) : null);

/** MB/s over the corpus repeated until `megabytes` of UTF-8 were scanned, after one warm-up pass. */
function throughput(options: DetectOptions): number {
  const texts = labelledSentences.map((sentence) => sentence.text);
  const corpusBytes = texts.reduce((total, text) => total + Buffer.byteLength(text), 0);
  for (const text of texts) detectPii(text, options);
  let bytes = 0;
  const started = performance.now();
  while (bytes < megabytes * 1_000_000) {
    for (const text of texts) detectPii(text, options);
    bytes += corpusBytes;
  }
  return bytes / 1_000_000 / ((performance.now() - started) / 1000);
}

process.stderr.write(`measuring throughput over ${megabytes} MB, rules only and then with compromise…\n`);
const rulesOnlyRate = throughput({ nlp: false });
const fullRate = throughput({});

const lines = report({
  environment: `${cpus().length} CPUs, Node ${process.version}`,
  sentences: labelledSentences.length,
  heldOutSentences: heldOutSentences.length,
  full: full.byType,
  rulesOnly: rulesOnly.byType,
  heldOut: heldOut.byType,
  lenientFull: lenient.byType,
  mistakes: [...full.mistakes, ...heldOut.mistakes],
  throughput: { full: fullRate, rulesOnly: rulesOnlyRate, megabytes },
  headline: sideBySideReport({ dev, ...(blind ? { blind } : {}) }),
  extra: {
    blind_structured_recall: figure(blindFigures?.structured),
    blind_name_recall_nlp: figure(blindFigures?.namesNlp),
    blind_name_recall_rules: figure(blindFigures?.namesRules),
    blind_clean_lines_altered_rules: figure(blindFigures?.cleanRules),
    blind_clean_lines_altered_nlp: figure(blindFigures?.cleanNlp),
    blind_structured_recall_exact: figure(blindFigures?.exactStructured),
    blind_lines: blind?.lines ?? null,
    blind_sha256: blind?.sha256 ?? null,
  },
});
for (const line of lines) console.log(line);
