/**
 * bench:pii — precision and recall of detectPii per type on hand-labelled sentences (several
 * locales, with near-misses: order numbers, dates, invalid cards and IBANs, versions), names
 * with and without the NLP tagger, and throughput with and without it. The report goes to
 * stdout and ends with one JSON line. Data: sentences-*.ts in this folder.
 *
 *   npm run bench:pii [-- --megabytes=2]
 */
import { cpus } from 'node:os';
import { detectPii, type DetectOptions } from '../../src/core/pii/detect.js';
import { heldOutSentences, labelledSentences } from './dataset.js';
import { report } from './report.js';
import { score } from './score.js';

const argument = (name: string, fallback: number) => Number(process.argv.find((item) => item.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const megabytes = argument('megabytes', 2);

const full = score(labelledSentences, (text) => detectPii(text));
const rulesOnly = score(labelledSentences, (text) => detectPii(text, { nlp: false }));
const lenient = score(labelledSentences, (text) => detectPii(text), false);
const heldOut = score(heldOutSentences, (text) => detectPii(text));

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
});
for (const line of lines) console.log(line);
