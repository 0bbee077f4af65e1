import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The blind evaluation sets: written by helpers that never saw the rules or the development sets (eval/README.md). */
export type BlindSet = 'cache' | 'routing' | 'pii' | 'retrieval' | 'retrieval-independent';

const folderOf = (set: BlindSet) => join(fileURLToPath(new URL('./blind/', import.meta.url)), set);

/** The set's data files (`*.jsonl`), sorted by name. */
export function blindFiles(set: BlindSet): string[] {
  return readdirSync(folderOf(set))
    .filter((name) => name.endsWith('.jsonl'))
    .sort();
}

/** SHA-256 over each data file's name and contents, in name order: the figure eval/frozen.json holds. */
export function blindSetDigest(set: BlindSet): string {
  const hash = createHash('sha256');
  for (const name of blindFiles(set))
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(folderOf(set), name)))
      .update('\0');
  return hash.digest('hex');
}

/** Every line of the set's files whose name starts with `prefix`, parsed, with the file it came from. */
export function readBlindLines<T>(set: BlindSet, prefix = ''): Array<T & { file: string }> {
  return blindFiles(set)
    .filter((name) => name.startsWith(prefix))
    .flatMap((name) =>
      readFileSync(join(folderOf(set), name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => ({ ...(JSON.parse(line) as T), file: name })),
    );
}
