import type { FastifyInstance } from 'fastify';
import { BreakwaterError } from '../core/errors/breakwater-error.js';

/** Deepest nesting of arrays and objects a request body may have; JSON Schemas and tool parameters rarely need 10. */
export const maxNesting = 64;
/** Most members one JSON object may have (OpenAI allows 16 metadata pairs and 300 logit_bias entries). */
export const maxObjectMembers = 10_000;
/** Most digits in a row a number may have, fraction and exponent each counted apart; a double holds 17 significant ones. */
export const maxNumberDigits = 400;

/**
 * What is wrong with a JSON text's shape, if anything, found in one pass over its bytes
 * (strings skipped; UTF-8 continuation bytes are never ASCII, so bytes are safe to test),
 * stopping as soon as a limit is passed: nesting deeper than `limits.depth`, an object with
 * more than `limits.members` members, or a number with more than `limits.digits` digits in a row.
 */
export function shapeProblem(bytes: Uint8Array, limits: { depth: number; members: number; digits: number }): 'depth' | 'members' | 'digits' | undefined {
  const members = new Int32Array(limits.depth + 1);
  let depth = 0;
  let digits = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    // Digits outside strings belong to number literals: V8 parses a 4-million-digit one in ~150 ms.
    if (byte >= 0x30 && byte <= 0x39) {
      if (++digits > limits.digits) return 'digits';
      continue;
    }
    digits = 0;
    if (byte === 0x22 /* " */) {
      for (index++; index < bytes.length; index++) {
        const inner = bytes[index]!;
        if (inner === 0x5c /* \ */) index++;
        else if (inner === 0x22) break;
      }
    } else if (byte === 0x5b /* [ */ || byte === 0x7b /* { */) {
      if (++depth > limits.depth) return 'depth';
      members[depth] = 0;
    } else if (byte === 0x5d /* ] */ || byte === 0x7d /* } */) {
      if (depth > 0) depth--;
    } else if (byte === 0x3a /* : */ && depth > 0) {
      // Outside strings a colon only separates an object member's name from its value.
      if (++members[depth]! > limits.members) return 'members';
    }
  }
  return undefined;
}

/**
 * JSON bodies are checked for shape before they are parsed. JSON.parse accepts any depth and
 * any width, but a 4 MB `[[[…]]]` held the event loop ~550 ms in the parse alone (and every
 * recursive walk after it overflowed the stack: a 500), and an object of 300,000 distinct keys
 * ~170 ms. The scan is one pass over the bytes, a few milliseconds for 4 MB. Parsing itself
 * stays Fastify's own (secure-json-parse, `__proto__` keys refused).
 */
export function jsonBodies(server: FastifyInstance): void {
  const parse = server.getDefaultJsonParser('error', 'ignore');
  const limits = { depth: maxNesting, members: maxObjectMembers, digits: maxNumberDigits };
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const problem = shapeProblem(bytes, limits);
    if (problem === 'depth') {
      done(new BreakwaterError('INVALID_REQUEST', `The request body nests arrays and objects deeper than ${maxNesting} levels; flatten it.`), undefined);
      return;
    }
    if (problem === 'members') {
      done(new BreakwaterError('INVALID_REQUEST', `An object in the request body has more than ${maxObjectMembers} members; send fewer (metadata takes 16).`), undefined);
      return;
    }
    if (problem === 'digits') {
      done(new BreakwaterError('INVALID_REQUEST', `A number in the request body has more than ${maxNumberDigits} digits in a row; send it with fewer (a double keeps 17).`), undefined);
      return;
    }
    parse(request, bytes.toString('utf8'), done);
  });
}
