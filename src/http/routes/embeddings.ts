import type { FastifyPluginAsync } from 'fastify';
import type { App } from '../../app.js';
import { embeddingsRequestSchema, type EmbeddingsResponse } from '../../wire/embeddings.js';
import { parseBody } from '../parse-body.js';
import { arrivalTime, authenticate, cacheControl, clientSignal } from '../request-context.js';
import { gatewayHeaders } from './chat.js';

/** Float32 little-endian bytes in base64: what OpenAI returns for `encoding_format: base64` (the SDK's default). */
function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export function embeddingsRoutes(app: App): FastifyPluginAsync {
  return async (server) => {
    server.post('/v1/embeddings', async (request, reply) => {
      const startedAt = arrivalTime(reply);
      const key = await authenticate(app, request);
      const body = parseBody(embeddingsRequestSchema, request.body);
      const { context, outcome } = await app.gateway.call({
        requestId: request.id,
        key,
        input: { operation: 'embeddings', request: body },
        stream: false,
        cacheControl: cacheControl(request),
        signal: clientSignal(reply),
        startedAt,
      });
      if (outcome.kind !== 'embeddings') throw new Error('embeddings call returned a chat outcome');
      const base64 = body.encoding_format === 'base64';
      const response: EmbeddingsResponse = {
        object: 'list',
        data: outcome.result.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector })),
        model: outcome.result.model,
        usage: outcome.result.usage,
      };
      return reply.headers(gatewayHeaders(context)).send(response);
    });
  };
}
