import secureJson from 'secure-json-parse';

/** Deepest nesting of arrays and objects a request body may have; JSON Schemas and tool parameters rarely need 10. */
export const maxNesting = 64;
/** Most members one JSON object may have (OpenAI allows 16 metadata pairs and 300 logit_bias entries). */
export const maxObjectMembers = 10_000;
/** Most digits in a row a number may have, fraction and exponent each counted apart; a double holds 17 significant ones. */
export const maxNumberDigits = 400;
/**
 * Most objects and arrays in one body. 10,000 messages with their content parts and tool calls
 * stay well under it; 4 MB of one-field objects is 140,000, which cost ~130 ms to parse and more
 * than that to hand from the parse thread to the event loop (structured clone is per object).
 */
export const maxContainers = 50_000;

export type ShapeProblem = 'depth' | 'members' | 'digits' | 'containers' | 'string';

/** A request body read as JSON: the value, or what is wrong with it (no error objects: it crosses a thread). */
export type JsonParseOutcome = { ok: true; value: unknown } | { ok: false; shape: ShapeProblem } | { ok: false; syntax: string };

/** A body for the parse thread, as the chunks it arrived in (joined there, not on the loop). */
export interface JsonParseJob {
  id: number;
  chunks: Uint8Array[];
  /** The route's longest string (route config `maxJsonStringBytes`). */
  maxStringBytes?: number;
}
export type JsonParseAnswer = { id: number } & JsonParseOutcome;

/**
 * What is wrong with a JSON text's shape, if anything, found in one pass over its bytes
 * (strings skipped; UTF-8 continuation bytes are never ASCII, so bytes are safe to test),
 * stopping as soon as a limit is passed: nesting deeper than `limits.depth`, an object with
 * more than `limits.members` members, more than `limits.containers` objects and arrays in all
 * (when given), a number with more than `limits.digits` digits in a row, or a string of more
 * than `limits.string` bytes as written, escapes included (when given).
 */
export function shapeProblem(bytes: Uint8Array, limits: { depth: number; members: number; digits: number; containers?: number; string?: number }): ShapeProblem | undefined {
  const longestString = limits.string ?? Number.POSITIVE_INFINITY;
  const members = new Int32Array(limits.depth + 1);
  let containers = limits.containers ?? Number.POSITIVE_INFINITY;
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
      const start = index;
      for (index++; index < bytes.length; index++) {
        const inner = bytes[index]!;
        if (inner === 0x5c /* \ */) index++;
        else if (inner === 0x22) break;
      }
      if (index - start - 1 > longestString) return 'string';
    } else if (byte === 0x5b /* [ */ || byte === 0x7b /* { */) {
      if (++depth > limits.depth) return 'depth';
      if (--containers < 0) return 'containers';
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

const limits = { depth: maxNesting, members: maxObjectMembers, digits: maxNumberDigits, containers: maxContainers };
/** A `\uD800`-`\uDFFF` escape: the only way a lone surrogate gets into a string that came as UTF-8. */
const surrogateEscape = /\\u[dD][89a-fA-F]/;

/**
 * Checks the shape, then parses with `__proto__` keys refused (as Fastify's own parser) and
 * lone surrogates replaced by U+FFFD, as every UTF-8 encoder on the way to a provider would
 * replace them. Left in, each one made every later JSON.stringify of the request take the
 * slow path: 4 MB of `\ud800` escapes cost ~70 ms per serialisation, several per call.
 */
export function parseJsonBody(bytes: Uint8Array, maxStringBytes?: number): JsonParseOutcome {
  const shape = shapeProblem(bytes, maxStringBytes === undefined ? limits : { ...limits, string: maxStringBytes });
  if (shape) return { ok: false, shape };
  if (bytes.length === 0) return { ok: false, syntax: 'the body is empty' };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let value: unknown;
  try {
    value = secureJson.parse(text, null, { protoAction: 'error', constructorAction: 'ignore' });
  } catch (error) {
    return { ok: false, syntax: error instanceof Error ? error.message : String(error) };
  }
  return { ok: true, value: surrogateEscape.test(text) ? wellFormed(value) : value };
}

/** `value` with every string (object keys included) made well-formed; linear in its size, depth bounded by the shape check. */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.isWellFormed() ? value : value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = wellFormed(value[index]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const item = wellFormed(record[name]);
    if (name.isWellFormed()) record[name] = item;
    else {
      delete record[name];
      record[name.toWellFormed()] = item;
    }
  }
  return record;
}
