import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QualitySet } from './quality.js';

/**
 * The blind set of eval/blind/cache/: `paraphrases-<locale>.jsonl` ({domain, question,
 * paraphrases[]}) and `near-misses-<locale>.jsonl` ({kind, cached, asked}). Written by a
 * helper that never saw the cache's rules or the dev set (see its README.md). The bench only
 * ever prints aggregates of it; `sha256` (over the sorted file names and contents) shows when
 * the set changed. Undefined when the directory holds no set.
 */
export function loadBlindSet(directory: string): (QualitySet & { sha256: string; files: number }) | undefined {
  if (!existsSync(directory)) return undefined;
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  if (names.length === 0) return undefined;
  const digest = createHash('sha256');
  const set: QualitySet = { groups: [], pairs: [] };
  for (const name of names) {
    const content = readFileSync(join(directory, name), 'utf8');
    digest.update(name).update('\0').update(content).update('\0');
    const match = /^(paraphrases|near-misses)-(.+)\.jsonl$/.exec(name);
    if (!match) continue;
    const locale = match[2]!;
    for (const [index, line] of content.split('\n').entries()) {
      if (line.trim() === '') continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // Never print the line: the set stays blind.
        throw new Error(`${name}:${index + 1}: not JSON`);
      }
      if (match[1] === 'paraphrases') {
        const { question, paraphrases } = record;
        if (typeof question !== 'string' || !Array.isArray(paraphrases)) throw new Error(`${name}:${index + 1}: want {question, paraphrases[]}`);
        set.groups.push({ locale, question, paraphrases: paraphrases.filter((item): item is string => typeof item === 'string') });
      } else {
        const { kind, cached, asked } = record;
        if (typeof cached !== 'string' || typeof asked !== 'string') throw new Error(`${name}:${index + 1}: want {kind, cached, asked}`);
        set.pairs.push({ locale, kind: typeof kind === 'string' ? kind : 'unknown', cached, asked });
      }
    }
  }
  return { ...set, sha256: digest.digest('hex'), files: names.length };
}
