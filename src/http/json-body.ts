import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { JsonParseThread } from '../adapters/json/json-parse-thread.js';
import { maxContainers, maxNesting, maxNumberDigits, maxObjectMembers, parseJsonBody, type JsonParseOutcome } from '../adapters/json/json-text.js';

/**
 * Bodies at least this large are parsed in a worker thread. Below it the parse costs the loop
 * under ~10 ms; above it a second thread's time is cheaper than everyone else's latency.
 */
export const offThreadParseBytes = 512 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The longest JSON string the route takes, in bytes as written, and the refusal for a longer
     * one: checked by the shape scan, so a 16 MB string is refused before it is built. Building
     * one on the event loop costs ~4 ms per MB on a VM where fresh memory faults page by page.
     */
    longString?: { bytes: number; error: () => BreakwaterError };
  }
}

/**
 * JSON bodies are checked for shape before they are parsed. JSON.parse accepts any depth and
 * any width, but a 4 MB `[[[…]]]` held the event loop ~550 ms in the parse alone (and every
 * recursive walk after it overflowed the stack: a 500), and an object of 300,000 distinct keys
 * ~170 ms. The scan is one pass over the bytes. `__proto__` keys are refused, as by Fastify's
 * own parser (secure-json-parse).
 */
export function jsonBodies(server: FastifyInstance): void {
  const thread = new JsonParseThread();
  server.addHook('onClose', async () => thread.close());
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', (request, payload, done) =>
    readBody(request, payload, (error, chunks, length) => {
      if (error) return done(error, undefined);
      const longString = request.routeOptions.config.longString;
      const settle = (outcome: JsonParseOutcome) =>
        outcome.ok ? done(null, outcome.value) : done(!('syntax' in outcome) && outcome.shape === 'string' && longString ? longString.error() : bodyError(outcome), undefined);
      if (length < offThreadParseBytes) settle(parseJsonBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length), longString?.bytes));
      else void thread.parse(chunks, longString?.bytes).then(settle);
    }),
  );
}

/** Fastify's body errors, by code, so the server's error mapping (and the lingering 413) treat them as its own. */
function fastifyBodyError(code: 'FST_ERR_CTP_BODY_TOO_LARGE' | 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

/**
 * Reads a body as the chunks it arrived in, under the route's limit, as Fastify's own reader
 * does (a declared or received length over the limit is refused at once and the rest left for
 * the lingering refusal; a body shorter or longer than its Content-Length is refused), but
 * without joining the chunks: a large body is joined by the parse thread.
 */
function readBody(request: FastifyRequest, payload: IncomingMessage, settle: (error: Error | null, chunks: Buffer[], length: number) => void): void {
  const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  const declared = Number(request.headers['content-length']);
  const tooLarge = () => fastifyBodyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large');
  if (declared > limit) return settle(tooLarge(), [], 0);
  const chunks: Buffer[] = [];
  let length = 0;
  const detach = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer | string) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    length += bytes.length;
    if (length > limit) {
      detach();
      settle(tooLarge(), [], 0);
      return;
    }
    chunks.push(bytes);
  }
  function onEnd(error?: Error & { statusCode?: number }) {
    detach();
    if (error) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      return settle(error, [], 0);
    }
    if (!Number.isNaN(declared) && length !== declared) {
      return settle(fastifyBodyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'Request body size did not match Content-Length'), [], 0);
    }
    settle(null, chunks, length);
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

function bodyError(outcome: Exclude<JsonParseOutcome, { ok: true }>): BreakwaterError {
  if ('syntax' in outcome)
    return new BreakwaterError('INVALID_JSON', `The request body is not valid JSON (${outcome.syntax}). Send a JSON object with Content-Type: application/json.`);
  switch (outcome.shape) {
    case 'depth':
      return new BreakwaterError('INVALID_REQUEST', `The request body nests arrays and objects deeper than ${maxNesting} levels; flatten it.`);
    case 'members':
      return new BreakwaterError('INVALID_REQUEST', `An object in the request body has more than ${maxObjectMembers} members; send fewer (metadata takes 16).`);
    case 'containers':
      return new BreakwaterError('INVALID_REQUEST', `The request body holds more than ${maxContainers} objects and arrays; send fewer (chat takes at most 10,000 messages).`);
    case 'string':
      return new BreakwaterError('INVALID_REQUEST', 'A string in the request body is longer than this endpoint accepts.');
    case 'digits':
      return new BreakwaterError('INVALID_REQUEST', `A number in the request body has more than ${maxNumberDigits} digits in a row; send it with fewer (a double keeps 17).`);
  }
}
