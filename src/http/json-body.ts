import type { FastifyInstance } from 'fastify';
import { BreakwaterError } from '../core/errors/breakwater-error.js';
import { JsonParseThread } from './json-parse-thread.js';
import { maxContainers, maxNesting, maxNumberDigits, maxObjectMembers, parseJsonBody, type JsonParseOutcome } from './json-text.js';

/**
 * Bodies at least this large are parsed in a worker thread. Below it the parse costs the loop
 * under ~10 ms; above it a second thread's time is cheaper than everyone else's latency.
 */
export const offThreadParseBytes = 512 * 1024;

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
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const settle = (outcome: JsonParseOutcome) => (outcome.ok ? done(null, outcome.value) : done(bodyError(outcome), undefined));
    if (bytes.length < offThreadParseBytes) settle(parseJsonBody(bytes));
    else void thread.parse(bytes).then(settle);
  });
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
    case 'digits':
      return new BreakwaterError('INVALID_REQUEST', `A number in the request body has more than ${maxNumberDigits} digits in a row; send it with fewer (a double keeps 17).`);
  }
}
