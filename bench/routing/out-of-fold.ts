/**
 * The router's honest dev estimate: nested out-of-fold figures on the dev set (dataset/). The
 * unique requests are cut into 5 folds by paraphrase group (six neighbours, as export-dev.ts
 * groups them); each fold is routed by a model `router train` would build from the other four
 * (its threshold chosen out of fold inside them), with the default margin. Prints hard → small,
 * easy → large and the share of the oracle's saving, overall and per category, so a feature or
 * a `--recall` can be chosen without touching the blind set. ~1 minute on 2 CPUs.
 *
 *   node --import tsx bench/routing/out-of-fold.ts [--recall 0.95] [--margin 0.05]
 */
import { TokenCounter } from '../../src/core/pricing/token-counter.js';
import { extractFeatures } from '../../src/core/routing/auto/features.js';
import { routeVector } from '../../src/core/routing/auto/route-vector.js';
import { scoreRoute } from '../../src/core/routing/auto/router-model.js';
import { trainRouterModel, type TrainingExample } from '../../src/core/routing/auto/train-router-model.js';
import type { ChatRequest } from '../../src/wire/chat.js';
import { labelledRequests } from './dataset/index.js';
import { completionTokens, tierPrices } from './mock-deployments.js';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const recall = option('--recall', 0.95);
const margin = option('--margin', 0.05);
const folds = 5;

const tokens = new TokenCounter();
const seen = new Set<string>();
const rows = labelledRequests()
  .filter((entry) => !seen.has(entry.id) && seen.add(entry.id))
  .map((entry) => {
    const request = { ...entry.request, model: 'auto' } as ChatRequest;
    const promptTokens = tokens.countChat(request);
    const position = Number(entry.id.slice(entry.id.lastIndexOf('-') + 1));
    const example: TrainingExample = {
      vector: routeVector(extractFeatures(request, { promptTokens })),
      hard: entry.label === 'hard',
      group: `${entry.category}-${Math.floor((position - 1) / 6)}`,
    };
    const out = completionTokens[entry.label];
    const cost = (tier: 'small' | 'large') => (promptTokens * tierPrices[tier].price.input + out * tierPrices[tier].price.output) / 1e6;
    return { example, category: entry.category, large: cost('large'), small: cost('small') };
  });

/** FNV-1a of the group, as the trainer's own folds (a different split: the outer folds here). */
function outerFold(group: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < group.length; index++) {
    hash ^= group.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) >>> 3) % folds;
}

const routed: Array<{ row: (typeof rows)[number]; large: boolean }> = [];
for (let fold = 0; fold < folds; fold++) {
  const model = trainRouterModel(
    rows.filter((row) => outerFold(row.example.group) !== fold).map((row) => row.example),
    { hardRecall: recall },
  );
  for (const row of rows.filter((candidate) => outerFold(candidate.example.group) === fold)) {
    routed.push({ row, large: scoreRoute(model, row.example.vector).probability >= model.threshold - margin });
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const percent = (value: number) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)}%` : '—');
function figures(set: typeof routed): string {
  const hard = set.filter((item) => item.row.example.hard);
  const easy = set.filter((item) => !item.row.example.hard);
  const large = sum(set.map((item) => item.row.large));
  const cost = sum(set.map((item) => (item.large ? item.row.large : item.row.small)));
  const oracle = sum(set.map((item) => (item.row.example.hard ? item.row.large : item.row.small)));
  return [
    String(set.length).padStart(4),
    String(hard.length).padStart(4),
    percent(hard.filter((item) => !item.large).length / hard.length).padStart(12),
    percent(easy.filter((item) => item.large).length / easy.length).padStart(12),
    percent((large - cost) / (large - oracle)).padStart(12),
  ].join('  ');
}

console.log(`nested out of fold (${folds} folds by paraphrase group), recall ${recall}, margin ${margin}`);
console.log(`${'category'.padEnd(20)}     n  hard  hard → small  easy → large  oracle share`);
console.log(`${'all'.padEnd(20)}  ${figures(routed)}`);
for (const category of [...new Set(rows.map((row) => row.category))]) console.log(`${category.padEnd(20)}  ${figures(routed.filter((item) => item.row.category === category))}`);
