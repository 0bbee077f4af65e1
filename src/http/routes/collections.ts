import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { toWireJob } from '../../core/jobs/job-view.js';
import type { Collection, StoredDocument } from '../../core/ports/collection-store.js';
import type { SearchHit } from '../../core/retrieval/collection-service.js';
import {
  answerSchema,
  createCollectionSchema,
  ingestSchema,
  searchSchema,
  type WireAnswer,
  type WireCollection,
  type WireDocument,
  type WireSearchHit,
  type WireSearchResult,
} from '../../wire/collections.js';
import type { WireJob } from '../../wire/jobs.js';
import { parseBody } from '../parse-body.js';
import { clientSignal } from '../request-context.js';
import { callerKey } from '../route-access.js';

/**
 * The collections API (retrieval): create and list a tenant's collections, queue documents for
 * ingestion (202 with the ingest job), search (hybrid by default) and answer with citations.
 * Everything is scoped to the key's tenant and filtered by the key's access tags.
 */
export function collectionRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    const keyOnly = { config: { access: 'key' as const } };
    const retrieval = () => {
      if (!app.retrieval) {
        throw new BreakwaterError(
          'RETRIEVAL_UNAVAILABLE',
          'Collections are off on this server: set retrieval.enabled: true (with a PostgreSQL store the server needs the pgvector extension); see docs/retrieval.md.',
        );
      }
      return app.retrieval;
    };

    server.post('/v1/collections', keyOnly, async (request, reply) => {
      const collection = await retrieval().collections.create(callerKey(request), parseBody(createCollectionSchema, request.body));
      reply.header('location', `/v1/collections/${collection.name}`);
      return reply.code(201).send(toWireCollection(collection));
    });

    server.get('/v1/collections', keyOnly, async (request) => {
      const collections = await retrieval().collections.list(callerKey(request));
      return { object: 'list', data: collections.map(toWireCollection) };
    });

    server.get<{ Params: { name: string } }>('/v1/collections/:name', keyOnly, async (request): Promise<WireCollection> => {
      return toWireCollection(await retrieval().collections.get(callerKey(request), request.params.name));
    });

    server.delete<{ Params: { name: string } }>('/v1/collections/:name', keyOnly, async (request) => {
      await retrieval().collections.delete(callerKey(request), request.params.name);
      return { object: 'collection.deleted', name: request.params.name, deleted: true };
    });

    server.get<{ Params: { name: string } }>('/v1/collections/:name/documents', keyOnly, async (request) => {
      const documents = await retrieval().collections.documents(callerKey(request), request.params.name);
      return { object: 'list', data: documents.map(toWireDocument) };
    });

    server.post<{ Params: { name: string } }>(
      '/v1/collections/:name/documents',
      { bodyLimit: app.config.jobs.bodyLimitBytes, ...keyOnly },
      async (request, reply): Promise<WireJob> => {
        const job = await retrieval().collections.ingest(callerKey(request), request.params.name, parseBody(ingestSchema, request.body));
        reply.header('location', `/v1/jobs/${job.id}`);
        reply.code(202);
        return toWireJob(job);
      },
    );

    server.post<{ Params: { name: string } }>('/v1/collections/:name/search', keyOnly, async (request, reply): Promise<WireSearchResult> => {
      const body = parseBody(searchSchema, request.body);
      const { hits, rerank } = await retrieval().collections.search(callerKey(request), request.params.name, body, { requestId: request.id, signal: clientSignal(reply) });
      if (rerank) reply.header('x-breakwater-rerank', rerank.applied ? 'applied' : 'fallback');
      return { object: 'list', mode: body.mode ?? 'hybrid', data: hits.map(toWireHit), ...(rerank ? { rerank } : {}) };
    });

    server.post<{ Params: { name: string } }>('/v1/collections/:name/answer', keyOnly, async (request, reply): Promise<WireAnswer> => {
      const body = parseBody(answerSchema, request.body);
      const answer = await retrieval().answers.answer(callerKey(request), request.params.name, body, { requestId: request.id, signal: clientSignal(reply) });
      if (answer.rerank) reply.header('x-breakwater-rerank', answer.rerank.applied ? 'applied' : 'fallback');
      return answer;
    });
  };
}

function toWireCollection(collection: Collection): WireCollection {
  return {
    object: 'collection',
    name: collection.name,
    description: collection.description,
    embedder:
      collection.embedder.kind === 'builtin'
        ? { type: 'builtin', dimension: collection.embedder.dimension }
        : { type: 'model', model: collection.embedder.model, dimension: collection.embedder.dimension },
    chunking: { max_tokens: collection.chunking.maxTokens, overlap_tokens: collection.chunking.overlapTokens },
    metadata_schema: collection.metadataSchema,
    access_tags: collection.accessTags,
    created_at: Math.floor(collection.createdAt / 1000),
  };
}

function toWireDocument(document: StoredDocument): WireDocument {
  return {
    object: 'collection.document',
    name: document.name,
    content_hash: document.contentHash,
    chunks: document.chunks,
    characters: document.characters,
    access_tags: document.accessTags,
    metadata: document.metadata,
    updated_at: Math.floor(document.updatedAt / 1000),
  };
}

function toWireHit(hit: SearchHit): WireSearchHit {
  return {
    object: 'collection.chunk',
    chunk_id: hit.chunkId,
    document: hit.document,
    heading: hit.heading,
    text: hit.text,
    start: hit.start,
    end: hit.end,
    score: hit.score,
    ...(hit.ranks ? { ranks: hit.ranks } : {}),
  };
}
