import { jsonrepair } from 'jsonrepair';

/**
 * `repaired` is true whenever the answer was not itself one JSON document: code fences or
 * prose were stripped, or jsonrepair fixed the syntax.
 */
export type ParsedModelJson = { ok: true; value: unknown; repaired: boolean } | { ok: false; reason: string };

const fence = /```[\w-]*[^\S\r\n]*\r?\n?([\s\S]*?)(?:```|$)/g;
const keywords = new Set(['true', 'false', 'null', 'True', 'False', 'None']);

/**
 * Reads the JSON object (or array) in a model's answer: strips Markdown code fences and prose
 * around it ("Here is the JSON: …", "Hope this helps!") and repairs near-JSON with jsonrepair
 * (trailing commas, single quotes, unquoted keys, comments, Python constants, a forgotten
 * closing bracket). An answer cut off mid-value (inside a string, after a key, a comma or a
 * number) is refused rather than completed: closing it would yield a record that validates
 * yet lost data, e.g. a truncated last line item or "12" for "1234.50".
 */
export function parseModelJson(text: string): ParsedModelJson {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'the answer is empty' };
  const direct = tryParse(trimmed);
  if (direct.ok && isContainer(direct.value)) return { ok: true, value: direct.value, repaired: false };
  // Some models encode the object as a JSON string ("{\"a\":1}").
  if (direct.ok && typeof direct.value === 'string') {
    const inner = tryParse(direct.value.trim());
    if (inner.ok && isContainer(inner.value)) return { ok: true, value: inner.value, repaired: true };
  }

  let firstFailure: string | undefined;
  for (const candidate of candidates(trimmed)) {
    const parsed = parseCandidate(candidate);
    if (parsed.ok) return parsed;
    firstFailure ??= parsed.reason;
  }
  return { ok: false, reason: firstFailure ?? 'the answer holds no JSON object or array' };
}

/** Fenced blocks first, then the whole answer; each from its first `{` and from its first `[`. */
function* candidates(text: string): Generator<string> {
  const blocks = [...text.matchAll(fence)].map((match) => match[1] ?? '');
  for (const block of [...blocks, text]) {
    const starts = [block.indexOf('{'), block.indexOf('[')].filter((index) => index >= 0).sort((left, right) => left - right);
    for (const start of starts) yield block.slice(start);
  }
}

function parseCandidate(candidate: string): ParsedModelJson {
  const scan = scanStructure(candidate);
  let body = candidate;
  if (scan.end >= 0) body = candidate.slice(0, scan.end + 1);
  else if (scan.cutOff) return { ok: false, reason: `the answer is cut off ${scan.cutOff} (truncated JSON)` };
  const parsed = tryParse(body);
  if (parsed.ok && isContainer(parsed.value)) return { ok: true, value: parsed.value, repaired: true };
  try {
    const repaired = JSON.parse(jsonrepair(body)) as unknown;
    if (isContainer(repaired)) return { ok: true, value: repaired, repaired: true };
    return { ok: false, reason: 'the answer holds no JSON object or array' };
  } catch (error) {
    return { ok: false, reason: `the answer is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

interface StructureScan {
  /** Index of the bracket that closes the first value, or -1 when it never closes. */
  end: number;
  /** When it never closes: where the text stopped, if that looks like truncation rather than a forgotten bracket. */
  cutOff: string | null;
}

type Token = 'open' | 'close' | 'key' | 'string' | 'colon' | 'comma' | 'word';

/**
 * Walks brackets and strings (double- or single-quoted) of near-JSON that starts with `{` or
 * `[`, to find where the value ends and, if it never ends, what the last token was.
 */
function scanStructure(text: string): StructureScan {
  const stack: Array<{ bracket: '{' | '['; expectKey: boolean }> = [];
  let last: Token = 'open';
  let word = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '"' || char === "'") {
      const close = closingQuote(text, index, char);
      if (close < 0) return { end: -1, cutOff: 'inside a string' };
      const top = stack.at(-1);
      last = top?.bracket === '{' && top.expectKey ? 'key' : 'string';
      index = close;
    } else if (char === '{' || char === '[') {
      stack.push({ bracket: char, expectKey: char === '{' });
      last = 'open';
    } else if (char === '}' || char === ']') {
      stack.pop();
      last = 'close';
      if (stack.length === 0) return { end: index, cutOff: null };
    } else if (char === ':') {
      const top = stack.at(-1);
      if (top) top.expectKey = false;
      last = 'colon';
    } else if (char === ',') {
      const top = stack.at(-1);
      if (top?.bracket === '{') top.expectKey = true;
      last = 'comma';
    } else if (!/\s/.test(char)) {
      word = last === 'word' ? word + char : char;
      last = 'word';
    }
  }
  if (last === 'close' || last === 'string' || (last === 'word' && keywords.has(word))) return { end: -1, cutOff: null };
  const where: Record<Token, string> = {
    open: 'after an opening bracket',
    close: '',
    key: 'after a key',
    string: '',
    colon: 'after a key',
    comma: 'after a comma',
    word: 'inside a value',
  };
  return { end: -1, cutOff: where[last] };
}

function closingQuote(text: string, start: number, quote: string): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === quote) return index;
  }
  return -1;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}
