import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { embeddingsRequestSchema, type EmbeddingsResponse } from '../../wire/embeddings.js';
import { parseBody } from '../parse-body.js';
import { arrivalTime, cacheControl, clientSignal, type ConcurrencyGate } from '../request-context.js';
import { callerKey } from '../route-access.js';
import { gatewayHeaders } from './chat.js';

/** Float32 little-endian bytes in base64: what OpenAI returns for `encoding_format: base64` (the SDK's default). */
function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** POST /v1/embeddings, behind the same concurrency gate as chat: both hold a model call. */
export function embeddingsRoutes(app: App, gate: ConcurrencyGate): FastifyPluginAsync {
  return async (server) => {
    server.post('/v1/embeddings', { config: { access: 'key', rateLimited: true } }, async (request, reply) => {
      const startedAt = arrivalTime(reply);
      const release = gate.enter();
      try {
        return await embed(app, request, reply, startedAt);
      } finally {
        release();
      }
    });
  };
}

async function embed(app: App, request: FastifyRequest, reply: FastifyReply, startedAt: number): Promise<FastifyReply> {
  const body = parseBody(embeddingsRequestSchema, request.body);
  const { context, outcome } = await app.gateway.call({
    requestId: request.id,
    key: callerKey(request),
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
}
