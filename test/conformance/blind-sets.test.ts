import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { blindSetDigest, readBlindLines, type BlindSet } from '../../eval/blind-set.js';
import { piiTypes } from '../../src/core/pii/pii-type.js';

const frozen = JSON.parse(readFileSync(new URL('../../eval/frozen.json', import.meta.url), 'utf8')) as { sets: Record<BlindSet, { sha256: string; lines: number }> };

/**
 * The blind sets are the figures issue-13 work is judged by; they only mean something while
 * nobody tunes them. A change to one shows here, and needs eval/frozen.json changed with a reason.
 */
describe('blind evaluation sets', () => {
  for (const set of ['cache', 'routing', 'pii', 'retrieval', 'retrieval-independent'] as const) {
    it(`${set}: unchanged since it was frozen`, () => {
      assert.equal(readBlindLines(set).length, frozen.sets[set].lines);
      assert.equal(blindSetDigest(set), frozen.sets[set].sha256, `eval/blind/${set} changed; see eval/README.md`);
    });
  }

  it('cache, routing and PII lines have the fields their benches read', () => {
    for (const line of readBlindLines<{ question?: string; paraphrases?: string[]; cached?: string; asked?: string; kind?: string }>('cache')) {
      if (line.file.startsWith('paraphrases-')) assert.ok(typeof line.question === 'string' && Array.isArray(line.paraphrases) && line.paraphrases.length > 0, line.file);
      else assert.ok(typeof line.cached === 'string' && typeof line.asked === 'string' && typeof line.kind === 'string', line.file);
    }
    for (const line of readBlindLines<{ label?: string; request?: { messages?: Array<{ role: string }> } }>('routing')) {
      assert.ok(line.label === 'easy' || line.label === 'hard', line.file);
      assert.equal(line.request?.messages?.at(-1)?.role, 'user', line.file);
    }
    const known = new Set<string>(piiTypes);
    for (const line of readBlindLines<{ text?: string }>('pii')) {
      for (const match of (line.text ?? '').matchAll(/\[\[([A-Z]+):/g)) assert.ok(known.has(match[1]!), `${line.file}: unknown type ${match[1]}`);
    }
    for (const set of ['retrieval', 'retrieval-independent'] as const) {
      const documents = new Map(readBlindLines<{ id: string; text?: string }>(set, 'documents-').map((line) => [line.id, line.text ?? '']));
      for (const line of readBlindLines<{ document: string; answer: string; question?: string }>(set, 'questions-')) {
        assert.ok(
          typeof line.question === 'string' && documents.get(line.document)?.includes(line.answer),
          `${set}/${line.file}: the answer of "${line.question}" is not in ${line.document}`,
        );
      }
    }
  });
});
