import { z } from 'zod';

/**
 * The collections API's wire format (retrieval): what POST /v1/collections, …/documents,
 * …/search and …/answer accept and return. The server builds these shapes and the CLI reads them.
 */

export const collectionNamePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const tag = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/, 'access tags are letters, digits, _ . : and -');
const metadataValue = z.union([z.string().max(512), z.number(), z.boolean()]);
const metadataField = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'metadata fields are letters, digits, _ . and -');
export const metadataSchema = z.record(metadataField, metadataValue).refine((record) => Object.keys(record).length <= 32, 'at most 32 metadata fields');

export const createCollectionSchema = z
  .object({
    name: z.string().regex(collectionNamePattern, 'collection names are 1-64 lower-case letters, digits, - and _, starting with a letter or digit'),
    description: z.string().max(1_000).optional(),
    /** `builtin` (no model; for tests and offline use) or an embeddings alias of `models`. */
    embedder: z
      .union([
        z.object({ type: z.literal('builtin'), dimension: z.number().int().min(16).max(4_096).optional() }).strict(),
        z.object({ type: z.literal('model'), model: z.string().min(1).max(256), dimension: z.number().int().min(1).max(16_384) }).strict(),
      ])
      .optional(),
    chunking: z
      .object({
        max_tokens: z.number().int().min(16).max(8_192).optional(),
        overlap_tokens: z.number().int().min(0).max(1_024).optional(),
      })
      .strict()
      .optional(),
    /** A JSON Schema every document's metadata must satisfy. */
    metadata_schema: z.record(z.string(), z.unknown()).optional(),
    /** Tags every document of the collection carries: a key sees a chunk only when it holds all of its tags. */
    access_tags: z.array(tag).max(16).optional(),
  })
  .strict();
export type CreateCollection = z.infer<typeof createCollectionSchema>;

const documentBody = {
  name: z.string().min(1).max(255),
  metadata: metadataSchema.optional(),
  /** Tags of this document, added to the collection's. */
  access_tags: z.array(tag).max(16).optional(),
};

export const ingestDocumentSchema = z.union([
  z.object({ ...documentBody, text: z.string().min(1) }).strict(),
  z.object({ ...documentBody, data: z.string().min(1), media_type: z.string().min(1).max(255).optional() }).strict(),
  z.object({ ...documentBody, url: z.url().max(2_048), media_type: z.string().min(1).max(255).optional() }).strict(),
  /** Removes the document and its chunks. */
  z.object({ name: documentBody.name, delete: z.literal(true) }).strict(),
]);
export type IngestDocument = z.infer<typeof ingestDocumentSchema>;

export const ingestSchema = z
  .object({
    documents: z.array(ingestDocumentSchema).min(1).max(1_000),
    webhook: z
      .object({ url: z.string().min(1).max(2048) })
      .strict()
      .optional(),
  })
  .strict();
export type IngestRequest = z.infer<typeof ingestSchema>;

export const searchModes = ['hybrid', 'vector', 'text'] as const;

/** `rerank` of search, answers and the chat `retrieval` option (docs/retrieval.md#rerank). */
export const rerankOptionSchema = z
  .object({
    model: z.string().min(1).max(256),
    top_n: z.number().int().min(1).max(30).optional(),
    candidates: z.number().int().min(2).max(30).optional(),
  })
  .strict();

export const searchSchema = z
  .object({
    query: z.string().min(1).max(8_192),
    /** Chunks returned (default 5). */
    k: z.number().int().min(1).max(100).optional(),
    /** `hybrid` (default): vector and BM25 fused by reciprocal rank. */
    mode: z.enum(searchModes).optional(),
    /** Document metadata fields that must equal these values. */
    filter: metadataSchema.optional(),
    /**
     * Reorder the fused candidates by a chat model's relevance scores (docs/retrieval.md#rerank):
     * `model` a chat alias, asked through the gateway as this key; `top_n` chunks returned (default
     * `k`); `candidates` sent to the model (default 20, at most 30).
     */
    rerank: rerankOptionSchema.optional(),
  })
  .strict();
export type SearchRequest = z.infer<typeof searchSchema>;

export const answerSchema = searchSchema
  .extend({
    /** The chat alias that writes the answer. */
    model: z.string().min(1).max(256),
    /** Passed on to the model (a JSON-schema answer works like any structured call). */
    response_format: z.unknown().optional(),
    max_tokens: z.number().int().positive().max(65_536).optional(),
    temperature: z.number().min(0).max(2).optional(),
    /** Share of the question's content words a retrieved chunk must contain to be given to the model (default 0.33); with none left, the answer refuses without a model call. */
    min_coverage: z.number().min(0).max(1).optional(),
  })
  .strict();
export type AnswerRequest = z.infer<typeof answerSchema>;

/** The `retrieval` option of POST /v1/chat/completions: ground the chat call in a collection. */
export const chatRetrievalSchema = z
  .object({
    collection: z.string().regex(collectionNamePattern, 'collection names are 1-64 lower-case letters, digits, - and _'),
    /** What to search for; default: the text of the last user message. */
    query: z.string().min(1).max(8_192).optional(),
    k: z.number().int().min(1).max(50).optional(),
    filter: metadataSchema.optional(),
    min_coverage: z.number().min(0).max(1).optional(),
    rerank: rerankOptionSchema.optional(),
  })
  .strict();
export type ChatRetrieval = z.infer<typeof chatRetrievalSchema>;

/** What a grounded chat completion (and the first chunk of its stream) carries besides OpenAI's fields. */
export interface WireChatRetrieval {
  collection: string;
  prompt_version: string;
  /** True when nothing relevant was found (no model call) or the model said the sources lack the answer. */
  refused: boolean;
  /** Sources whose `[n]` the answer cites (streams: empty; match the markers against `sources`). */
  citations: WireCitation[];
  sources: WireCitation[];
  /** When the search was reranked: how it went. */
  rerank?: WireRerank;
}

export interface WireCollection {
  object: 'collection';
  name: string;
  description: string;
  embedder: { type: 'builtin'; dimension: number } | { type: 'model'; model: string; dimension: number };
  chunking: { max_tokens: number; overlap_tokens: number };
  metadata_schema: Record<string, unknown> | null;
  access_tags: string[];
  /** Unix seconds. */
  created_at: number;
}

export interface WireDocument {
  object: 'collection.document';
  name: string;
  content_hash: string;
  chunks: number;
  characters: number;
  access_tags: string[];
  metadata: Record<string, string | number | boolean>;
  updated_at: number;
}

export interface WireSearchHit {
  object: 'collection.chunk';
  chunk_id: string;
  document: string;
  heading: string | null;
  text: string;
  /** Character offsets of `text` in the document's text. */
  start: number;
  end: number;
  score: number;
  /** Place in each ranker's list (from 1), null where it did not return the chunk. */
  ranks?: { vector: number | null; text: number | null };
}

/** How a search's rerank went; `applied: false` means the fused order was kept (header `x-breakwater-rerank: fallback`). */
export interface WireRerank {
  model: string;
  prompt_version: string;
  applied: boolean;
  /** Passages sent to the model. */
  candidates: number;
  reason?: string;
}

export interface WireSearchResult {
  object: 'list';
  mode: (typeof searchModes)[number];
  data: WireSearchHit[];
  rerank?: WireRerank;
}

export interface WireCitation {
  /** The number the answer cites, `[1]`. */
  index: number;
  chunk_id: string;
  document: string;
  start: number;
  end: number;
  text: string;
}

export interface WireAnswer {
  object: 'collection.answer';
  /** The model's answer, with `[n]` markers, or the refusal. */
  answer: string;
  /** Structured answers: the parsed JSON. */
  parsed?: unknown;
  /** True when nothing relevant was found (no model call) or the model said the sources do not hold the answer. */
  refused: boolean;
  /** The sources the answer cites, by marker number (only those cited). */
  citations: WireCitation[];
  /** Every chunk given to the model, numbered as in the prompt. */
  sources: WireCitation[];
  model: string;
  prompt_version: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  /** When the search was reranked: how it went. */
  rerank?: WireRerank;
}

/** What an ingest job's result holds (GET /v1/jobs/:id → result). */
export interface WireIngestResult {
  collection: string;
  documents: Array<{ name: string; status: 'indexed' | 'unchanged' | 'deleted' | 'missing'; chunks: number; embedded: number; removed: number }>;
  embedded_chunks: number;
  removed_chunks: number;
  total_chunks: number;
}
