import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLabelled, type LabelledSentence } from './dataset.js';

export interface BlindSet {
  sentences: LabelledSentence[];
  /** sha256 over the sorted file names and their contents, so a changed set shows in the report. */
  sha256: string;
  files: number;
}

/**
 * Loads eval/blind/pii/*.jsonl: `{ locale, text }` lines with the same `[[TYPE:value]]` markup
 * as the dev sentences. The bench reads it only to score it and prints aggregates, never a
 * line or a mistake from it (eval/blind/pii/README.md says how it was written).
 */
export function loadBlindSet(directory: string): BlindSet | undefined {
  if (!existsSync(directory)) return undefined;
  const names = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
  if (names.length === 0) return undefined;
  const hash = createHash('sha256');
  const sentences: LabelledSentence[] = [];
  for (const name of names) {
    const content = readFileSync(join(directory, name), 'utf8');
    hash.update(name).update('\0').update(content).update('\0');
    for (const [index, line] of content.split('\n').entries()) {
      if (line.trim() === '') continue;
      let row: { locale?: unknown; text?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
      } catch {
        throw new Error(`${name}:${index + 1}: not JSON`);
      }
      if (typeof row.text !== 'string') throw new Error(`${name}:${index + 1}: no text`);
      const locale = typeof row.locale === 'string' ? row.locale : name.replace(/\.jsonl$/, '');
      try {
        sentences.push(parseLabelled(locale, row.text));
      } catch {
        // The message would quote the line; the blind set stays unseen.
        throw new Error(`${name}:${index + 1}: markup with an unknown type`);
      }
    }
  }
  return { sentences, sha256: hash.digest('hex'), files: names.length };
}
