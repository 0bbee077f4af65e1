/**
 * bench:retrieval — recall@5 and MRR of vector, BM25 and hybrid search on the generated
 * development corpus and on the blind set (eval/blind/retrieval, mixed into the same index as a
 * haystack; the headline), ingestion documents/s, the share of chunks re-embedded after changing
 * 5% of the corpus, and hybrid search p99 at 100k chunks (embedded shape: SQLite FTS5 + HNSW,
 * built-in embedder). `--quick` uses 20k chunks for the latency run. Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readBlindLines } from '../../eval/blind-set.js';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { SqliteCollectionStore } from '../../src/adapters/store/sqlite/sqlite-collection-store.js';
import type { ChunkFilter, ChunkHit, Collection } from '../../src/core/ports/collection-store.js';
import { chunkText, defaultChunking } from '../../src/core/retrieval/chunker.js';
import { embeddedText } from '../../src/core/retrieval/ingest-job.js';
import { fuseByReciprocalRank } from '../../src/core/retrieval/reciprocal-rank.js';
import { type CorpusDocument, type CorpusQuestion, generateCorpus } from './corpus.js';

const quick = process.argv.includes('--quick');
const latencyChunks = quick ? 20_000 : 100_000;
const folder = mkdtempSync(join(tmpdir(), 'bench-retrieval-'));
const store = new SqliteCollectionStore({ path: join(folder, 'retrieval.sqlite'), hnsw: { efSearch: Number(process.env.EF ?? 64) } });
const embedder = new HashedNgramEmbedder({ dimension: 256 });
const tenant = 'bench';

function collection(name: string): Collection {
  return { tenant, name, description: '', embedder: { kind: 'builtin', dimension: 256 }, chunking: defaultChunking, metadataSchema: null, accessTags: [], createdAt: Date.now() };
}

/** Indexes documents the way the ingest job does (only chunk ids the document lacks are embedded); returns chunks embedded and total. */
async function ingest(name: string, documents: readonly CorpusDocument[]): Promise<{ embedded: number; total: number }> {
  let embedded = 0;
  let total = 0;
  for (const document of documents) {
    const scope = { tenant, collection: name };
    const chunks = chunkText(document.text, defaultChunking);
    const known = await store.chunkIds(scope, document.name);
    const fresh = chunks.filter((chunk) => !known.has(chunk.id));
    const vectors = await embedder.embed(fresh.map(embeddedText));
    const vectorOf = new Map(fresh.map((chunk, index) => [chunk.id, vectors[index]!]));
    const result = await store.writeDocument(
      scope,
      { name: document.name, contentHash: '', characters: document.text.length, accessTags: [], metadata: { locale: document.locale }, updatedAt: Date.now() },
      chunks.map((chunk) => ({ ...chunk, ...(vectorOf.has(chunk.id) ? { vector: vectorOf.get(chunk.id)! } : {}) })),
    );
    embedded += result.added;
    total += chunks.length;
  }
  return { embedded, total };
}

type Mode = 'vector' | 'bm25' | 'hybrid';

async function rank(name: string, query: string, mode: Mode, k: number): Promise<ChunkHit[]> {
  const filter: ChunkFilter = { tenant, collection: name, accessTags: [] };
  const candidates = Math.max(40, k * 4);
  const vectorHits = mode === 'bm25' ? [] : await store.searchVector(filter, embedder.embedOne(query), mode === 'hybrid' ? candidates : k);
  const textHits = mode === 'vector' ? [] : await store.searchText(filter, query, mode === 'hybrid' ? candidates : k);
  if (mode === 'vector') return vectorHits;
  if (mode === 'bm25') return textHits;
  return fuseByReciprocalRank(vectorHits, textHits, k);
}

interface Scores {
  recallAt5: number;
  mrr: number;
  byLocale: Record<string, number>;
}

async function evaluate(name: string, questions: readonly CorpusQuestion[], texts: ReadonlyMap<string, string>, mode: Mode): Promise<Scores> {
  let found5 = 0;
  let reciprocal = 0;
  const perLocale = new Map<string, { hits: number; total: number }>();
  for (const question of questions) {
    const hits = await rank(name, question.question, mode, 10);
    const text = texts.get(question.document)!;
    const at = text.indexOf(question.answer);
    // A chunk answers when it is the document's and holds the middle of the answer passage.
    const middle = at + Math.floor(question.answer.length / 2);
    const place = hits.findIndex((hit) => hit.document === question.document && hit.start <= middle && hit.end > middle) + 1;
    if (place > 0 && place <= 5) found5++;
    if (place > 0) reciprocal += 1 / place;
    const locale = perLocale.get(question.locale) ?? { hits: 0, total: 0 };
    locale.total++;
    if (place > 0 && place <= 5) locale.hits++;
    perLocale.set(question.locale, locale);
  }
  return {
    recallAt5: found5 / questions.length,
    mrr: reciprocal / questions.length,
    byLocale: Object.fromEntries([...perLocale].map(([locale, { hits, total }]) => [locale, hits / total])),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

// ── Quality and ingestion ──
const dev = generateCorpus(2_000);
const blindDocuments = readBlindLines<{ id: string; locale: string; name: string; text: string }>('retrieval', 'documents-').map((line) => ({
  name: `blind/${line.id}/${line.name}`,
  locale: line.locale,
  text: line.text,
}));
const blindIds = new Map(readBlindLines<{ id: string; name: string }>('retrieval', 'documents-').map((line) => [line.id, `blind/${line.id}/${line.name}`]));
const blindQuestions: CorpusQuestion[] = readBlindLines<{ locale: string; question: string; document: string; answer: string }>('retrieval', 'questions-').map((line) => ({
  locale: line.locale,
  question: line.question,
  document: blindIds.get(line.document)!,
  answer: line.answer,
}));
const allDocuments = [...dev.documents, ...blindDocuments];
const texts = new Map(allDocuments.map((document) => [document.name, document.text]));

await store.createCollection(collection('quality'));
const ingestStart = performance.now();
const first = await ingest('quality', allDocuments);
const ingestSeconds = (performance.now() - ingestStart) / 1000;
const ingestDocsPerSecond = allDocuments.length / ingestSeconds;

const modes: Mode[] = ['vector', 'bm25', 'hybrid'];
const devScores = {} as Record<Mode, Scores>;
const blindScores = {} as Record<Mode, Scores>;
for (const mode of modes) {
  devScores[mode] = await evaluate('quality', dev.questions, texts, mode);
  blindScores[mode] = await evaluate('quality', blindQuestions, texts, mode);
}

// ── Incremental re-ingest: 5% of the documents get one changed fact ──
const changed = dev.documents.map((document, index) =>
  index % 20 === 0 ? { ...document, text: document.text.replace(/(\d+)( )/, (_m, n: string, space: string) => `${Number(n) + 1}${space}`) } : document,
);
const second = await ingest('quality', changed);
const reembeddedShare = second.embedded / second.total;

// ── Latency at scale: hybrid search over latencyChunks chunks ──
await store.createCollection(collection('scale'));
const sentences = dev.documents.flatMap((document) => document.text.split('\n\n').filter((part) => !part.startsWith('#')));
const scaleDocuments: CorpusDocument[] = [];
const perDocument = 10;
for (let i = 0; scaleDocuments.length * perDocument < latencyChunks; i++) {
  const paragraphs = Array.from({ length: perDocument }, (_, j) => `${sentences[(i * 7 + j * 13) % sentences.length]} (${i}.${j})`);
  scaleDocuments.push({ name: `scale-${i}.md`, locale: 'en', text: paragraphs.map((paragraph, j) => `## Part ${j}\n${paragraph}`).join('\n\n') });
}
const scaleStart = performance.now();
const scaled = await ingest('scale', scaleDocuments);
const scaleIngestSeconds = (performance.now() - scaleStart) / 1000;
await rank('scale', 'warm up the graph', 'hybrid', 5);
const timings: Record<Mode, number[]> = { vector: [], bm25: [], hybrid: [] };
const queries = [...dev.questions, ...blindQuestions].slice(0, 300).map((question) => question.question);
for (const query of queries) {
  for (const mode of modes) {
    const started = performance.now();
    await rank('scale', query, mode, 5);
    timings[mode].push(performance.now() - started);
  }
}
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

await store.close();
rmSync(folder, { recursive: true, force: true });

console.log(`bench:retrieval — ${allDocuments.length} documents (${dev.documents.length} generated in 4 locales + ${blindDocuments.length} blind), ${first.total} chunks`);
console.log(`questions: ${dev.questions.length} development, ${blindQuestions.length} blind (headline)\n`);
console.log('set    mode    recall@5  MRR@10   per locale (recall@5)');
for (const [set, scores] of [
  ['blind', blindScores],
  ['dev', devScores],
] as const) {
  for (const mode of modes) {
    const row = scores[mode];
    const locales = Object.entries(row.byLocale)
      .map(([locale, value]) => `${locale} ${percent(value)}`)
      .join('  ');
    console.log(`${set.padEnd(6)} ${mode.padEnd(7)} ${percent(row.recallAt5).padStart(8)}  ${row.mrr.toFixed(3).padStart(6)}   ${locales}`);
  }
}
const better = (scores: Record<Mode, Scores>) => Math.max(scores.vector.recallAt5, scores.bm25.recallAt5);
console.log(
  `\nhybrid ÷ better single ranker (recall@5): blind ${(blindScores.hybrid.recallAt5 / better(blindScores)).toFixed(2)}x, dev ${(devScores.hybrid.recallAt5 / better(devScores)).toFixed(2)}x`,
);
console.log(`ingestion: ${ingestDocsPerSecond.toFixed(0)} documents/s (${first.total} chunks in ${ingestSeconds.toFixed(1)} s, built-in embedder)`);
console.log(`re-ingest after changing 5% of documents: ${second.embedded} of ${second.total} chunks re-embedded (${percent(reembeddedShare)}); a full re-embed would be 100%`);
console.log(`\nlatency at ${scaled.total} chunks (indexed in ${scaleIngestSeconds.toFixed(1)} s), ${queries.length} queries:`);
for (const mode of modes) console.log(`  ${mode.padEnd(7)} p50 ${quantile(timings[mode], 0.5).toFixed(2)} ms  p99 ${quantile(timings[mode], 0.99).toFixed(2)} ms`);
console.log(
  JSON.stringify({
    hybrid_recall_at_5: blindScores.hybrid.recallAt5,
    vector_recall_at_5: blindScores.vector.recallAt5,
    bm25_recall_at_5: blindScores.bm25.recallAt5,
    hybrid_mrr: blindScores.hybrid.mrr,
    dev_hybrid_recall_at_5: devScores.hybrid.recallAt5,
    dev_vector_recall_at_5: devScores.vector.recallAt5,
    dev_bm25_recall_at_5: devScores.bm25.recallAt5,
    dev_hybrid_mrr: devScores.hybrid.mrr,
    reembedded_share: reembeddedShare,
    search_p99_ms: quantile(timings.hybrid, 0.99),
    search_chunks: scaled.total,
    ingest_docs_per_s: ingestDocsPerSecond,
  }),
);
