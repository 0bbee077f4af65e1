/**
 * Writes the dev set (dataset/, each request once) as JSONL training lines to stdout, the
 * input of `breakwater router train`; see README.md for retraining the shipped model.
 *
 *   node --import tsx bench/routing/export-dev.ts > /tmp/routing-dev.jsonl
 */
import { labelledRequests } from './dataset/index.js';

const seen = new Set<string>();
for (const entry of labelledRequests()) {
  if (seen.has(entry.id)) continue;
  seen.add(entry.id);
  // Paraphrases sit next to their originals: six neighbours share a cross-validation fold, so
  // the threshold is not chosen on a request whose paraphrase trained the model.
  const position = Number(entry.id.slice(entry.id.lastIndexOf('-') + 1));
  const group = `${entry.category}-${Math.floor((position - 1) / 6)}`;
  process.stdout.write(`${JSON.stringify({ id: entry.id, group, label: entry.label, locale: entry.locale, category: entry.category, request: entry.request })}\n`);
}
