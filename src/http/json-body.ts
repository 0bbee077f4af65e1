import type { FastifyInstance } from 'fastify';
import { BreakwaterError } from '../core/errors/breakwater-error.js';

/** Deepest nesting of arrays and objects a request body may have; JSON Schemas and tool parameters rarely need 10. */
export const maxNesting = 64;

/**
 * Depth of the deepest array or object in a JSON text, in one pass over its characters
 * (strings skipped), stopping as soon as `limit` is passed.
 */
export function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 /* " */) {
      // Skip the string, escapes included.
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) index++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * JSON bodies are checked for depth before they are parsed: JSON.parse accepts any depth, but
 * a 4 MB `[[[…]]]` held the event loop ~550 ms in the parse alone, and every recursive walk
 * after it (cache keys, token counts, the upstream request) overflowed the stack: a 500. The
 * scan is one pass over the text, a few milliseconds for 4 MB. Parsing itself stays Fastify's
 * own (secure-json-parse, `__proto__` keys refused).
 */
export function jsonBodies(server: FastifyInstance): void {
  const parse = server.getDefaultJsonParser('error', 'ignore');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (nestingExceeds(text, maxNesting)) {
      done(new BreakwaterError('INVALID_REQUEST', `The request body nests arrays and objects deeper than ${maxNesting} levels; flatten it.`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
