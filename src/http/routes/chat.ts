import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { App } from '../../app.js';
import type { CallContext } from '../../core/gateway/call-context.js';
import { completionToChunks } from '../../core/gateway/stream-assembly.js';
import type { ChatCompletionChunk } from '../../wire/chat.js';
import { parseChatBody } from '../chat-body.js';
import { hasPrompt, resolvePromptedBody } from '../prompted-chat-body.js';
import { GroundedChat } from '../../core/retrieval/grounded-chat.js';
import { groundedChat, takeRetrieval } from '../retrieval-chat-body.js';
import { arrivalTime, cacheControl, clientSignal, type ConcurrencyGate, routeHints } from '../request-context.js';
import { callerKey } from '../route-access.js';
import { writeServerSentEvents } from '../sse-writer.js';

/** The headers every model answer carries. */
export function gatewayHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = {
    'x-breakwater-deployment': context.progress.deployment?.id ?? 'none',
    'x-breakwater-attempts': String(context.progress.attempts),
    'x-breakwater-cache': context.cache === 'semantic' ? `semantic; similarity=${(context.cacheSimilarity ?? 0).toFixed(3)}` : context.cache,
    'x-breakwater-overhead-ms': context.overheadMs.toFixed(3),
  };
  if (context.routeDecision) {
    headers['x-breakwater-route'] = `${context.routeDecision.tier}; model=${context.route.alias}`;
    // A header value is one line of visible ASCII: the reason is plain English, squeezed to that.
    headers['x-breakwater-route-reason'] = context.routeDecision.reason.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 512);
  }
  if (context.prompt) headers['x-breakwater-prompt'] = `${context.prompt.name}@${context.prompt.version}`;
  const cascade = context.cascade;
  if (cascade && cascade.outcome !== 'pending') {
    const value = cascade.outcome === 'escalated' ? `escalated; from=${cascade.first}; first_cost_usd=${cascade.firstCostUsd.toFixed(8)}` : `answered; model=${cascade.first}`;
    headers['x-breakwater-cascade'] = value.replace(/[^\x20-\x7e]+/g, '?');
  }
  return headers;
}

export function chatRoutes(app: App, gate: ConcurrencyGate): FastifyPluginAsync {
  return async (server) => {
    server.post('/v1/chat/completions', { config: { access: 'key', rateLimited: true } }, async (request, reply) => {
      const startedAt = arrivalTime(reply);
      const release = gate.enter();
      try {
        const key = callerKey(request);
        // Only a body with `retrieval` searches a collection, and only one with a `prompt` pays for the registry.
        const retrieval = takeRetrieval(request.body);
        const raw = retrieval ? retrieval.rest : request.body;
        const prompted = hasPrompt(raw) ? await resolvePromptedBody(app, key, raw) : undefined;
        let body = parseChatBody(prompted ? prompted.body : raw);
        const stream = body.stream === true;
        const grounding = retrieval ? await groundedChat(app).ground(key, body, retrieval.option, { requestId: request.id, signal: clientSignal(reply) }) : undefined;
        if (grounding?.refused) {
          if (!stream) return await reply.send(grounding.completion);
          return await sendStream(reply, {}, GroundedChat.annotateRefusal(grounding.completion), false);
        }
        if (grounding) body = grounding.body;
        const includeUsage = body.stream_options?.include_usage === true;
        const { context, outcome } = await app.gateway.call({
          requestId: request.id,
          key,
          input: { operation: 'chat', request: body },
          stream,
          cacheControl: cacheControl(request),
          routeHints: routeHints(request),
          prompt: prompted?.prompt,
          signal: clientSignal(reply),
          startedAt,
        });
        if (!stream && outcome.kind === 'completion') {
          return await reply.headers(gatewayHeaders(context)).send(grounding ? GroundedChat.finish(outcome.completion, grounding) : outcome.completion);
        }
        const chunks: AsyncIterable<ChatCompletionChunk> = outcome.kind === 'stream' ? outcome.chunks : outcome.kind === 'completion' ? replay(outcome.completion) : replay();
        return await sendStream(reply, gatewayHeaders(context), grounding ? GroundedChat.annotate(chunks, grounding) : chunks, includeUsage);
      } finally {
        release();
      }
    });
  };
}

async function sendStream(reply: FastifyReply, headers: Record<string, string>, chunks: AsyncIterable<ChatCompletionChunk>, includeUsage: boolean): Promise<FastifyReply> {
  reply.hijack();
  await writeServerSentEvents(reply.raw, { ...headers, 'x-request-id': String(reply.getHeader('x-request-id') ?? '') }, withUsagePolicy(chunks, includeUsage));
  return reply;
}

/** OpenAI sends the usage chunk only when `stream_options.include_usage` is set. */
async function* withUsagePolicy(chunks: AsyncIterable<ChatCompletionChunk>, includeUsage: boolean): AsyncGenerator<ChatCompletionChunk> {
  for await (const chunk of chunks) {
    if (includeUsage) {
      yield chunk;
      continue;
    }
    if (chunk.usage && chunk.choices.length === 0) continue;
    if (chunk.usage !== undefined) {
      const { usage: _usage, ...rest } = chunk;
      yield rest;
    } else yield chunk;
  }
}

async function* replay(completion?: Parameters<typeof completionToChunks>[0]): AsyncGenerator<ChatCompletionChunk> {
  if (completion) yield* completionToChunks(completion);
}
