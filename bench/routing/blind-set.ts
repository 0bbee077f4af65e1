import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledRequest } from './dataset/index.js';

export interface BlindSet {
  requests: LabelledRequest[];
  files: number;
  /** sha256 over the sorted file names and contents: a changed set shows in the report. */
  sha256: string;
}

/**
 * Loads eval/blind/routing/*.jsonl — requests written by a helper who never saw the rules or
 * the dev set (eval/blind/routing/README.md). The bench reports aggregates of it only: its
 * examples and misses are never printed, so nobody tunes on it by accident.
 */
export function loadBlindSet(folder: string): BlindSet | undefined {
  if (!existsSync(folder)) return undefined;
  const names = readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  if (names.length === 0) return undefined;
  const hash = createHash('sha256');
  const requests: LabelledRequest[] = [];
  for (const name of names) {
    const text = readFileSync(join(folder, name), 'utf8');
    hash.update(`${name}\0${text}\0`);
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      const row = JSON.parse(line) as Partial<LabelledRequest>;
      // A malformed row is reported by position only, never by content.
      if ((row.label !== 'easy' && row.label !== 'hard') || !row.request || !Array.isArray(row.request.messages)) throw new Error(`${name}:${index + 1}: not a labelled request`);
      requests.push({
        id: `${name}:${index + 1}`,
        label: row.label,
        locale: String(row.locale ?? '?'),
        category: String(row.category ?? name.replace(/\.jsonl$/, '')),
        request: row.request,
      });
    });
  }
  return { requests, files: names.length, sha256: hash.digest('hex') };
}
