/**
 * Compares name finders on the labelled sentences: names caught (every character redacted),
 * spans over no label, clean lines altered, and CPU per KB. Candidates: the rules (cues and
 * name lists), compromise's people() (the tagger Breakwater ships), both together (`nlp:
 * true`), and wink-nlp's English model (proper-noun runs) when it is installed — it is not a
 * dependency; install it beside the project to include it:
 *
 *   npm install --no-save wink-nlp wink-eng-lite-web-model
 *   node --import tsx bench/pii/compare-nlp.ts [--dev-only]
 *
 * Blind figures are aggregates only (eval/blind/pii), as in run.ts.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resolveOverlaps } from '../../src/core/pii/detect.js';
import { detectNamesByRules } from '../../src/core/pii/detectors/name.js';
import { detectNamesByNlp } from '../../src/core/pii/detectors/nlp-names.js';
import type { Detection } from '../../src/core/pii/pii-type.js';
import { loadBlindSet } from './blind-set.js';
import { heldOutSentences, labelledSentences, type LabelledSentence } from './dataset.js';
import { leakScore, rate } from './leak-score.js';

type Finder = (text: string) => Detection[];

interface WinkToken {
  out(what: unknown): string;
}
interface Wink {
  readDoc(text: string): { tokens(): { each(visit: (token: WinkToken) => void): void } };
  its: { pos: unknown; value: unknown };
}

/** Runs of PROPN tokens (capitalised), as NAME spans; offsets found by walking the text. */
function winkFinder(): Finder | undefined {
  try {
    const require = createRequire(import.meta.url);
    const nlp = (require('wink-nlp') as (model: unknown) => Wink)(require('wink-eng-lite-web-model'));
    return (text) => {
      const found: Detection[] = [];
      let cursor = 0;
      let run: { start: number; end: number } | undefined;
      nlp
        .readDoc(text)
        .tokens()
        .each((token) => {
          const value = token.out(nlp.its.value);
          const at = text.indexOf(value, cursor);
          if (at < 0) return;
          cursor = at + value.length;
          if (token.out(nlp.its.pos) === 'PROPN' && /^\p{Lu}/u.test(value)) {
            if (run && /^[ \t]*$/.test(text.slice(run.end, at))) run.end = cursor;
            else {
              if (run) found.push({ type: 'NAME', ...run });
              run = { start: at, end: cursor };
            }
          } else if (run) {
            found.push({ type: 'NAME', ...run });
            run = undefined;
          }
        });
      if (run) found.push({ type: 'NAME', ...run });
      return found;
    };
  } catch {
    return undefined;
  }
}

const wink = winkFinder();
const finders: [string, Finder][] = [
  ['rules: cues + name lists (default)', detectNamesByRules],
  ['compromise people() alone', detectNamesByNlp],
  ['rules + compromise (nlp: true)', (text) => resolveOverlaps([...detectNamesByRules(text), ...detectNamesByNlp(text)])],
  ...(wink
    ? ([
        ['wink-nlp PROPN runs alone', wink],
        ['rules + wink-nlp', (text: string) => resolveOverlaps([...detectNamesByRules(text), ...wink(text)])],
      ] as [string, Finder][])
    : []),
];

const onlyNames = (sentences: readonly LabelledSentence[]) => sentences.map((sentence) => ({ ...sentence, expected: sentence.expected.filter((label) => label.type === 'NAME') }));
const dev = onlyNames([...labelledSentences, ...heldOutSentences]);
const blindSet = process.argv.includes('--dev-only') ? undefined : loadBlindSet(fileURLToPath(new URL('../../eval/blind/pii/', import.meta.url)));
const blind = blindSet && onlyNames(blindSet.sentences);

function cpuPerKb(finder: Finder, sentences: readonly LabelledSentence[]): number {
  const texts = sentences.map((sentence) => sentence.text);
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  for (const text of texts) finder(text);
  const started = process.cpuUsage();
  let rounds = 0;
  const until = performance.now() + 2_000;
  while (performance.now() < until) {
    for (const text of texts) finder(text);
    rounds++;
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / ((bytes * rounds) / 1024);
}

const pad = (value: string, width: number) => value.padStart(width);
const cell = (caught: number, total: number) => `${(total === 0 ? 0 : caught / total).toFixed(3)} (${caught}/${total})`;
console.log(
  `name finders on ${dev.length} dev lines${blind ? ` and ${blind.length} blind lines (sha256 ${blindSet!.sha256.slice(0, 16)}…)` : ''}; names lines with other types count as clean for names only when they have no label at all`,
);
console.log(
  [
    'finder'.padEnd(36),
    pad('names caught, dev', 18),
    pad('spans over no label', 20),
    pad('clean altered', 18),
    pad('ms CPU / KB', 12),
    ...(blind ? [pad('names caught, blind', 20), pad('blind clean altered', 20)] : []),
  ].join('  '),
);
for (const [label, finder] of finders) {
  const devScore = leakScore(dev, finder);
  const names = devScore.byType.get('NAME') ?? { caught: 0, total: 0 };
  const spurious = devScore.spuriousByType.get('NAME') ?? 0;
  const row = [
    label.padEnd(36),
    pad(cell(names.caught, names.total), 18),
    pad(String(spurious), 20),
    pad(cell(devScore.clean.caught, devScore.clean.total), 18),
    pad(cpuPerKb(finder, dev).toFixed(2), 12),
  ];
  if (blind) {
    const blindScore = leakScore(blind, finder);
    const blindNames = blindScore.byType.get('NAME') ?? { caught: 0, total: 0 };
    row.push(pad(rate(blindNames).toFixed(3), 20), pad(rate(blindScore.clean).toFixed(3), 20));
  }
  console.log(row.join('  '));
}
