/**
 * bench:retrieval — recall@5 and MRR of vector (HNSW), exact vector (brute force, the HNSW
 * baseline), BM25 and hybrid search; on the independent blind set (eval/blind/retrieval-independent,
 * the headline), the first blind set (eval/blind/retrieval) and the generated development
 * corpus. The blind documents are mixed into one index with the development corpus as a
 * haystack; development figures (and the fusion-weight sweep, the only tuning) come from an
 * index of the development corpus alone. Also: HNSW recall@10 against exact search, ingestion
 * documents/s, the share of chunks re-embedded after changing 5% of the corpus, and search
 * latency at 100k chunks (embedded shape: SQLite FTS5 + HNSW, built-in embedder; `--quick`:
 * 20k). EF, M, EFC set the HNSW search breadth, links and build breadth. Last line: one JSON object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BlindSet, readBlindLines } from '../../eval/blind-set.js';
import { HashedNgramEmbedder } from '../../src/adapters/embedders/hashed-ngram/hashed-ngram-embedder.js';
import { defaultChunkGraphSettings } from '../../src/adapters/store/sqlite/chunk-graph.js';
import { SqliteCollectionStore } from '../../src/adapters/store/sqlite/sqlite-collection-store.js';
import type { ChunkFilter, ChunkHit, Collection } from '../../src/core/ports/collection-store.js';
import { chunkText, defaultChunking } from '../../src/core/retrieval/chunker.js';
import { hybridCandidates, fusionWeights } from '../../src/core/retrieval/collection-service.js';
import { embeddedText } from '../../src/core/retrieval/ingest-job.js';
import { type FusionWeights, fuse } from '../../src/core/retrieval/reciprocal-rank.js';
import { type CorpusDocument, type CorpusQuestion, generateCorpus } from './corpus.js';

const quick = process.argv.includes('--quick');
const latencyChunks = quick ? 20_000 : 100_000;
const folder = mkdtempSync(join(tmpdir(), 'bench-retrieval-'));
const hnsw = {
  ...(process.env.EF ? { efSearch: Number(process.env.EF) } : {}),
  ...(process.env.M ? { m: Number(process.env.M) } : {}),
  ...(process.env.EFC ? { efConstruction: Number(process.env.EFC) } : {}),
};
const store = new SqliteCollectionStore({ path: join(folder, 'retrieval.sqlite'), hnsw });
const embedder = new HashedNgramEmbedder({ dimension: 256 });
const tenant = 'bench';
const builtinWeights = fusionWeights({ kind: 'builtin', dimension: 256 });

function collection(name: string): Collection {
  return { tenant, name, description: '', embedder: { kind: 'builtin', dimension: 256 }, chunking: defaultChunking, metadataSchema: null, accessTags: [], createdAt: Date.now() };
}

/** Every chunk vector written, per collection: what the exact (brute-force) baseline scans. */
const written = new Map<string, Map<string, { document: string; chunk: ChunkHit; vector: Float32Array }>>();

/** Indexes documents the way the ingest job does (only chunk ids the document lacks are embedded); returns chunks embedded and total. */
async function ingest(name: string, documents: readonly CorpusDocument[]): Promise<{ embedded: number; total: number }> {
  let embedded = 0;
  let total = 0;
  const vectors = written.get(name) ?? new Map();
  written.set(name, vectors);
  for (const document of documents) {
    const scope = { tenant, collection: name };
    const chunks = chunkText(document.text, defaultChunking);
    const known = await store.chunkIds(scope, document.name);
    const fresh = chunks.filter((chunk) => !known.has(chunk.id));
    const freshVectors = await embedder.embed(fresh.map(embeddedText));
    const vectorOf = new Map(fresh.map((chunk, index) => [chunk.id, freshVectors[index]!]));
    const result = await store.writeDocument(
      scope,
      { name: document.name, contentHash: '', characters: document.text.length, accessTags: [], metadata: { locale: document.locale }, updatedAt: Date.now() },
      chunks.map((chunk) => ({ ...chunk, ...(vectorOf.has(chunk.id) ? { vector: vectorOf.get(chunk.id)! } : {}) })),
    );
    for (const chunk of fresh) {
      vectors.set(`${document.name}\0${chunk.id}`, {
        document: document.name,
        vector: vectorOf.get(chunk.id)!,
        chunk: { chunkId: chunk.id, document: document.name, ordinal: chunk.ordinal, heading: chunk.heading, text: chunk.text, start: chunk.start, end: chunk.end, score: 0 },
      });
    }
    embedded += result.added;
    total += chunks.length;
  }
  return { embedded, total };
}

type Mode = 'vector' | 'exact' | 'bm25' | 'hybrid';

function exactSearch(name: string, query: Float32Array, k: number): ChunkHit[] {
  const scored: ChunkHit[] = [];
  for (const { vector, chunk } of written.get(name)!.values()) {
    let dot = 0;
    for (let i = 0; i < vector.length; i++) dot += vector[i]! * query[i]!;
    scored.push({ ...chunk, score: dot });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

async function rank(name: string, query: string, mode: Mode, k: number, weights: FusionWeights = builtinWeights): Promise<ChunkHit[]> {
  const filter: ChunkFilter = { tenant, collection: name, accessTags: [] };
  if (mode === 'exact') return exactSearch(name, embedder.embedOne(query), k);
  const candidates = hybridCandidates(k);
  const vectorHits = mode === 'bm25' ? [] : await store.searchVector(filter, embedder.embedOne(query), mode === 'hybrid' ? candidates : k);
  const textHits = mode === 'vector' ? [] : await store.searchText(filter, query, mode === 'hybrid' ? candidates : k);
  if (mode === 'vector') return vectorHits;
  if (mode === 'bm25') return textHits;
  return fuse(vectorHits, textHits, k, weights);
}

interface Scores {
  recallAt5: number;
  mrr: number;
  byLocale: Record<string, number>;
}

/** A chunk answers when it is the question's document's and holds the middle of the answer passage. */
function place(question: CorpusQuestion, hits: readonly ChunkHit[], texts: ReadonlyMap<string, string>): number {
  const at = texts.get(question.document)!.indexOf(question.answer);
  const middle = at + Math.floor(question.answer.length / 2);
  return hits.findIndex((hit) => hit.document === question.document && hit.start <= middle && hit.end > middle) + 1;
}

async function evaluate(
  name: string,
  questions: readonly CorpusQuestion[],
  texts: ReadonlyMap<string, string>,
  mode: Mode,
  weights: FusionWeights = builtinWeights,
): Promise<Scores> {
  let found5 = 0;
  let reciprocal = 0;
  const perLocale = new Map<string, { hits: number; total: number }>();
  for (const question of questions) {
    const at = place(question, await rank(name, question.question, mode, 10, weights), texts);
    if (at > 0 && at <= 5) found5++;
    if (at > 0) reciprocal += 1 / at;
    const locale = perLocale.get(question.locale) ?? { hits: 0, total: 0 };
    locale.total++;
    if (at > 0 && at <= 5) locale.hits++;
    perLocale.set(question.locale, locale);
  }
  return {
    recallAt5: found5 / questions.length,
    mrr: reciprocal / questions.length,
    byLocale: Object.fromEntries([...perLocale].map(([locale, { hits, total }]) => [locale, hits / total])),
  };
}

/** Share of the exact top 10 that HNSW returns. */
async function annRecall(name: string, questions: readonly CorpusQuestion[]): Promise<number> {
  let found = 0;
  for (const question of questions) {
    const vector = embedder.embedOne(question.question);
    const exact = new Set(exactSearch(name, vector, 10).map((hit) => `${hit.document}\0${hit.chunkId}`));
    const approximate = await store.searchVector({ tenant, collection: name, accessTags: [] }, vector, 10);
    found += approximate.filter((hit) => exact.has(`${hit.document}\0${hit.chunkId}`)).length;
  }
  return found / (questions.length * 10);
}

function blindSet(set: BlindSet): { documents: CorpusDocument[]; questions: CorpusQuestion[] } {
  const lines = readBlindLines<{ id: string; locale: string; name: string; text: string }>(set, 'documents-');
  const names = new Map(lines.map((line) => [line.id, `${set}/${line.id}/${line.name}`]));
  return {
    documents: lines.map((line) => ({ name: names.get(line.id)!, locale: line.locale, text: line.text })),
    questions: readBlindLines<{ locale: string; question: string; document: string; answer: string }>(set, 'questions-').map((line) => ({
      locale: line.locale,
      question: line.question,
      document: names.get(line.document)!,
      answer: line.answer,
    })),
  };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

// ── Quality and ingestion ──
const dev = generateCorpus(2_000);
const independent = blindSet('retrieval-independent');
const first = blindSet('retrieval');
const allDocuments = [...dev.documents, ...first.documents, ...independent.documents];
const texts = new Map(allDocuments.map((document) => [document.name, document.text]));

await store.createCollection(collection('dev'));
const ingestStart = performance.now();
const devIngest = await ingest('dev', dev.documents);
const ingestSeconds = (performance.now() - ingestStart) / 1000;
const ingestDocsPerSecond = dev.documents.length / ingestSeconds;
await store.createCollection(collection('mixed'));
const mixedIngest = await ingest('mixed', allDocuments);

const modes: Mode[] = ['vector', 'exact', 'bm25', 'hybrid'];
const sets = [
  { label: 'blind-i', name: 'mixed', questions: independent.questions },
  { label: 'blind-1', name: 'mixed', questions: first.questions },
  { label: 'dev', name: 'dev', questions: dev.questions },
] as const;
const scores = {} as Record<(typeof sets)[number]['label'], Record<Mode, Scores>>;
const ann = {} as Record<(typeof sets)[number]['label'], number>;
for (const set of sets) {
  scores[set.label] = {} as Record<Mode, Scores>;
  for (const mode of modes) scores[set.label][mode] = await evaluate(set.name, set.questions, texts, mode);
  ann[set.label] = await annRecall(set.name, set.questions);
}
// The fusion weight's tuning run, on the development corpus only.
const sweep: Array<{ method: 'rank' | 'score'; vector: number; recallAt5: number; mrr: number }> = [];
for (const method of ['rank', 'score'] as const) {
  for (const vector of [0, 0.1, 0.2, 0.3, 0.5, 0.75, 1]) {
    const row = await evaluate('dev', dev.questions, texts, 'hybrid', { vector, text: 1, method });
    sweep.push({ method, vector, recallAt5: row.recallAt5, mrr: row.mrr });
  }
}

// ── Incremental re-ingest: 5% of the documents get one changed fact ──
const changed = dev.documents.map((document, index) =>
  index % 20 === 0 ? { ...document, text: document.text.replace(/(\d+)( )/, (_m, n: string, space: string) => `${Number(n) + 1}${space}`) } : document,
);
const second = await ingest('dev', changed);
const reembeddedShare = second.embedded / second.total;

// ── Latency at scale: searches over latencyChunks chunks ──
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
written.delete('scale');
const graphStart = performance.now();
await rank('scale', 'warm up the graph', 'hybrid', 5);
const graphSeconds = (performance.now() - graphStart) / 1000;
const timed: Mode[] = ['vector', 'bm25', 'hybrid'];
const timings: Record<Mode, number[]> = { vector: [], exact: [], bm25: [], hybrid: [] };
/** CPU time of this process per search: on a machine shared with other work, steadier than wall time (DESIGN.md). */
const cpu: Record<Mode, number[]> = { vector: [], exact: [], bm25: [], hybrid: [] };
const loadBefore = loadavg()[0]!;
const queries = [...dev.questions, ...first.questions, ...independent.questions].slice(0, 400).map((question) => question.question);
for (const query of queries) {
  for (const mode of timed) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await rank('scale', query, mode, 5);
    timings[mode].push(performance.now() - started);
    const used = process.cpuUsage(cpuStarted);
    cpu[mode].push((used.user + used.system) / 1000);
  }
}
const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

await store.close();
rmSync(folder, { recursive: true, force: true });

const settings = { ...defaultChunkGraphSettings, ...hnsw };
console.log(
  `bench:retrieval — ${dev.documents.length} generated documents (4 locales, ${devIngest.total} chunks) + ${first.documents.length} + ${independent.documents.length} blind in the mixed index (${mixedIngest.total} chunks)`,
);
console.log(`questions: ${independent.questions.length} independent blind (headline), ${first.questions.length} first blind, ${dev.questions.length} development`);
console.log(
  `HNSW m ${settings.m}, efConstruction ${settings.efConstruction}, efSearch ${settings.efSearch}; hybrid = ${builtinWeights.method === 'score' ? 'score fusion' : 'weighted RRF'}, vector ${builtinWeights.vector} / text ${builtinWeights.text}\n`,
);
console.log('set      mode     recall@5  MRR@10   per locale (recall@5)');
for (const set of sets) {
  for (const mode of modes) {
    const row = scores[set.label][mode];
    const locales = Object.entries(row.byLocale)
      .map(([locale, value]) => `${locale} ${percent(value)}`)
      .join('  ');
    console.log(`${set.label.padEnd(8)} ${(mode === 'exact' ? 'exact-v' : mode).padEnd(8)} ${percent(row.recallAt5).padStart(8)}  ${row.mrr.toFixed(3).padStart(6)}   ${locales}`);
  }
}
const better = (set: Record<Mode, Scores>) => Math.max(set.vector.recallAt5, set.bm25.recallAt5);
console.log('\nhybrid ÷ better single ranker (recall@5), same run:');
for (const set of sets) console.log(`  ${set.label.padEnd(8)} ${(scores[set.label].hybrid.recallAt5 / better(scores[set.label])).toFixed(3)}x`);
console.log(`HNSW recall@10 against exact search: ${sets.map((set) => `${set.label} ${percent(ann[set.label])}`).join(', ')}`);
for (const method of ['rank', 'score'] as const) {
  const rows = sweep.filter((row) => row.method === method);
  console.log(
    `fusion sweep, ${method === 'rank' ? 'weighted RRF' : 'score fusion'} (dev only; vector weight, text 1): ${rows.map((row) => `${row.vector} → ${percent(row.recallAt5)} / ${row.mrr.toFixed(3)}`).join(', ')}`,
  );
}
console.log(`ingestion: ${ingestDocsPerSecond.toFixed(0)} documents/s (${devIngest.total} chunks in ${ingestSeconds.toFixed(1)} s, built-in embedder)`);
console.log(`re-ingest after changing 5% of documents: ${second.embedded} of ${second.total} chunks re-embedded (${percent(reembeddedShare)}); a full re-embed would be 100%`);
console.log(
  `\nlatency at ${scaled.total} chunks (written in ${scaleIngestSeconds.toFixed(1)} s, graph built in ${graphSeconds.toFixed(1)} s), ${queries.length} queries, load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}:`,
);
for (const mode of timed) {
  console.log(
    `  ${mode.padEnd(7)} wall p50 ${quantile(timings[mode], 0.5).toFixed(2)} ms  p99 ${quantile(timings[mode], 0.99).toFixed(2)} ms   CPU p50 ${quantile(cpu[mode], 0.5).toFixed(2)} ms  p99 ${quantile(cpu[mode], 0.99).toFixed(2)} ms`,
  );
}
const headline = scores['blind-i'];
console.log(
  JSON.stringify({
    hybrid_recall_at_5: headline.hybrid.recallAt5,
    vector_recall_at_5: headline.vector.recallAt5,
    bm25_recall_at_5: headline.bm25.recallAt5,
    exact_vector_recall_at_5: headline.exact.recallAt5,
    hybrid_mrr: headline.hybrid.mrr,
    first_blind_hybrid_recall_at_5: scores['blind-1'].hybrid.recallAt5,
    first_blind_vector_recall_at_5: scores['blind-1'].vector.recallAt5,
    first_blind_bm25_recall_at_5: scores['blind-1'].bm25.recallAt5,
    dev_hybrid_recall_at_5: scores.dev.hybrid.recallAt5,
    dev_vector_recall_at_5: scores.dev.vector.recallAt5,
    dev_bm25_recall_at_5: scores.dev.bm25.recallAt5,
    hnsw_recall_at_10: ann['blind-i'],
    dev_hnsw_recall_at_10: ann.dev,
    reembedded_share: reembeddedShare,
    search_p99_ms: quantile(timings.hybrid, 0.99),
    search_p50_ms: quantile(timings.hybrid, 0.5),
    search_cpu_p99_ms: quantile(cpu.hybrid, 0.99),
    bm25_p99_ms: quantile(timings.bm25, 0.99),
    vector_p99_ms: quantile(timings.vector, 0.99),
    search_chunks: scaled.total,
    ingest_docs_per_s: ingestDocsPerSecond,
  }),
);
