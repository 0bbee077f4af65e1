/**
 * JSON Schema → llama.cpp GBNF, in the manner of llama.cpp's `json-schema-to-grammar`, for the
 * keywords node-llama-cpp's own schema grammar leaves unchecked: `pattern` (a regex subset),
 * `format` date / date-time / time with real calendar days, the sign of numbers with a lower
 * bound, integers with `minimum: 1`, and bounded `minItems`/`maxItems`/`minLength`/`maxLength`.
 *
 * The grammar describes a subset of the valid documents, never a superset, where it can:
 * - numbers have no exponent and at most 16 integer and 16 fraction digits;
 * - `minimum: 0` (or any `exclusiveMinimum` ≥ 0, or `minimum` > 0) drops the leading minus;
 *   `exclusiveMinimum` ≥ 0 or `minimum` > 0 gives strictly positive numbers; integers with a
 *   lower bound ≥ 1 become `[1-9][0-9]*`. Other bounds (`maximum`, `exclusiveMaximum`,
 *   `multipleOf`, a `minimum` of 0.5 or 7) keep only that sign rule: the extraction engine's
 *   ajv pass after decoding catches the rest, so always validate the decoded value;
 * - `\uXXXX` escapes exclude surrogates, so `minLength`/`maxLength` count what ajv counts;
 * - `oneOf` is plain alternation: overlapping branches can match twice, which ajv rejects;
 * - objects are closed: `additionalProperties` must be `false` (or absent, read as `false`).
 * Anything else that constrains values (`allOf`, `not`, `uniqueItems`, an unknown `format`, a
 * regex lookahead…) throws an Error naming the construct and where it is, rather than
 * producing a grammar that would let invalid output through.
 *
 * Between tokens the grammar allows at most one space or newline, and nothing before the first
 * or after the last token, so small models cannot ramble in whitespace.
 *
 * @example
 * const grammar = new LlamaGrammar(llama, { grammar: schemaToGbnf(pipeline.schema) });
 */
export function schemaToGbnf(schema: Record<string, unknown>): string {
  return new GrammarBuilder(schema).build();
}

type Range = [number, number];

const primitives: Record<string, { body: string; uses?: string[] }> = {
  ws: { body: String.raw`[ \n]?` },
  hex: { body: String.raw`[0-9a-fA-F]` },
  // \u escapes exclude surrogates so one escape is always one code point, as ajv counts them.
  char: { body: String.raw`[^"\\\x00-\x1F] | "\\" ( ["\\/bfnrt] | "u" ( [0-9a-cA-Ce-fE-F] hex hex hex | [dD] [0-7] hex hex ) )`, uses: ['hex'] },
  string: { body: String.raw`"\"" char* "\""`, uses: ['char'] },
  integral: { body: String.raw`"0" | [1-9] [0-9]{0,15}` },
  fraction: { body: String.raw`"." [0-9]{1,16}` },
  number: { body: String.raw`"-"? integral fraction?`, uses: ['integral', 'fraction'] },
  'number-nonnegative': { body: String.raw`integral fraction?`, uses: ['integral', 'fraction'] },
  'number-positive': { body: String.raw`[1-9] [0-9]{0,15} fraction? | "0." [0-9]{0,15} [1-9]`, uses: ['fraction'] },
  integer: { body: String.raw`"-"? integral`, uses: ['integral'] },
  'integer-nonnegative': { body: String.raw`integral`, uses: ['integral'] },
  'integer-positive': { body: String.raw`[1-9] [0-9]{0,15}` },
  boolean: { body: String.raw`"true" | "false"` },
  null: { body: String.raw`"null"` },
  // ajv-formats checks days per month and leap years, so the grammar does too.
  year: { body: String.raw`[0-9]{4}` },
  'leap-year': { body: String.raw`[0-9] [0-9] ( "0" [48] | [2468] [048] | [13579] [26] ) | ( [02468] [048] | [13579] [26] ) "00"` },
  date: {
    body: String.raw`year "-" ( ( "0" [13578] | "1" [02] ) "-" ( "0" [1-9] | [12] [0-9] | "3" [01] ) | ( "0" [469] | "11" ) "-" ( "0" [1-9] | [12] [0-9] | "30" ) | "02-" ( "0" [1-9] | "1" [0-9] | "2" [0-8] ) ) | leap-year "-02-29"`,
    uses: ['year', 'leap-year'],
  },
  // RFC 3339 as ajv-formats reads it: seconds below 60 and a required time zone.
  time: { body: String.raw`( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] ":" [0-5] [0-9] ( "." [0-9]{1,6} )? ( "Z" | [+-] ( [01] [0-9] | "2" [0-3] ) ":" [0-5] [0-9] )` },
  'date-time': { body: String.raw`date "T" time`, uses: ['date', 'time'] },
  value: { body: String.raw`value-object | value-array | string | number | boolean | null`, uses: ['value-object', 'value-array', 'string', 'number', 'boolean', 'null'] },
  'value-object': { body: String.raw`"{" ws ( string ws ":" ws value ( ws "," ws string ws ":" ws value )* ws )? "}"`, uses: ['ws', 'string', 'value'] },
  'value-array': { body: String.raw`"[" ws ( value ( ws "," ws value )* ws )? "]"`, uses: ['ws', 'value'] },
};

const formats: Record<string, string> = { date: 'date', 'date-time': 'date-time', time: 'time' };

/** Keywords that constrain values in ways this converter cannot express. */
const unsupportedKeywords = [
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'dependentRequired',
  'dependentSchemas',
  'dependencies',
  'prefixItems',
  'additionalItems',
  'contains',
  'minContains',
  'maxContains',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  '$dynamicRef',
  '$recursiveRef',
  'contentSchema',
];

class GrammarBuilder {
  private readonly rules = new Map<string, string>();
  private readonly refs = new Map<string, string>();

  constructor(private readonly root: Record<string, unknown>) {}

  build(): string {
    this.refs.set('#', 'root');
    this.rules.set('root', '');
    this.rules.set('root', this.body(this.root, 'root', ''));
    return [...this.rules].map(([name, body]) => `${name} ::= ${body}`).join('\n') + '\n';
  }

  private use(name: string): string {
    const primitive = primitives[name]!;
    if (!this.rules.has(name)) {
      this.rules.set(name, primitive.body);
      for (const dependency of primitive.uses ?? []) this.use(dependency);
    }
    return name;
  }

  /** Adds a rule under `name` (suffixed when taken by another body) and returns its name; bare names pass through. */
  private rule(name: string, body: string): string {
    if (/^[a-zA-Z0-9-]+$/.test(body)) return body;
    let candidate = name;
    for (let index = 2; this.rules.has(candidate) && this.rules.get(candidate) !== body; index++) candidate = `${name}-${index}`;
    this.rules.set(candidate, body);
    return candidate;
  }

  private body(schema: unknown, name: string, path: string): string {
    const where = path || '/';
    if (schema === true) return this.use('value');
    if (schema === false) throw new Error(`schemaToGbnf: the schema at ${where} is false, which no value matches`);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) throw new Error(`schemaToGbnf: the schema at ${where} is not an object`);
    const node = schema as Record<string, unknown>;
    for (const keyword of unsupportedKeywords) {
      if (keyword in node) throw new Error(`schemaToGbnf: "${keyword}" is not supported (at ${where})`);
    }
    if (typeof node.$ref === 'string') return this.reference(node.$ref, where);
    if ('const' in node) return literal(JSON.stringify(node.const));
    if (Array.isArray(node.enum)) {
      if (node.enum.length === 0) throw new Error(`schemaToGbnf: "enum" at ${where} is empty, so no value matches`);
      return node.enum.map((value) => literal(JSON.stringify(value))).join(' | ');
    }
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const branches = node[keyword];
      if (!Array.isArray(branches)) continue;
      if (branches.length === 0) throw new Error(`schemaToGbnf: "${keyword}" at ${where} is empty`);
      return branches.map((branch, index) => this.rule(`${name}-${index}`, this.body(branch, `${name}-${index}`, `${path}/${keyword}/${index}`))).join(' | ');
    }
    const types = Array.isArray(node.type) ? (node.type as unknown[]) : [node.type ?? inferType(node)];
    if (types.length === 0) throw new Error(`schemaToGbnf: "type" at ${where} is an empty list`);
    if (types.length === 1) return this.typed(node, String(types[0]), name, where);
    return types.map((type) => this.rule(`${name}-${String(type)}`, this.typed(node, String(type), `${name}-${String(type)}`, where))).join(' | ');
  }

  private reference(ref: string, where: string): string {
    const known = this.refs.get(ref);
    if (known) return known;
    const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
    const definitions = match ? this.root[match[1]!] : undefined;
    const key = match ? match[2]!.replaceAll('~1', '/').replaceAll('~0', '~') : '';
    if (!match || typeof definitions !== 'object' || definitions === null || !(key in definitions)) {
      throw new Error(`schemaToGbnf: "$ref" ${JSON.stringify(ref)} at ${where} is not supported: only local #/$defs/… and #/definitions/… references that exist`);
    }
    let name = `ref-${sanitize(key)}`;
    for (let index = 2; this.rules.has(name); index++) name = `ref-${sanitize(key)}-${index}`;
    this.refs.set(ref, name);
    this.rules.set(name, '');
    this.rules.set(name, this.body((definitions as Record<string, unknown>)[key], name, ref.slice(1)));
    return name;
  }

  private typed(node: Record<string, unknown>, type: string, name: string, where: string): string {
    switch (type) {
      case 'object':
        return this.object(node, name, where);
      case 'array':
        return this.array(node, name, where);
      case 'string':
        return this.string(node, where);
      case 'number':
      case 'integer':
        return this.use(numberRule(node, type));
      case 'boolean':
      case 'null':
        return this.use(type);
      case 'any':
        return this.use('value');
      default:
        throw new Error(`schemaToGbnf: type ${JSON.stringify(type)} at ${where} is not a JSON Schema type`);
    }
  }

  private object(node: Record<string, unknown>, name: string, where: string): string {
    if ('additionalProperties' in node && node.additionalProperties !== false) {
      throw new Error(`schemaToGbnf: "additionalProperties" other than false is not supported (at ${where}); list the properties and set additionalProperties: false`);
    }
    const properties = Object.entries((node.properties ?? {}) as Record<string, unknown>);
    const required = new Set((node.required ?? []) as string[]);
    for (const key of required) {
      if (!properties.some(([property]) => property === key)) throw new Error(`schemaToGbnf: required property "${key}" at ${where} is not in "properties"`);
    }
    const ws = this.use('ws');
    if (properties.length === 0) return `"{" ${ws} "}"`;
    const pairs = properties.map(([key, value]) => {
      const propertyName = `${name}-${sanitize(key)}`;
      const valueRule = this.rule(propertyName, this.body(value, propertyName, `${where === '/' ? '' : where}/properties/${key}`));
      return { required: required.has(key), rule: this.rule(`${propertyName}-kv`, `${literal(JSON.stringify(key))} ${ws} ":" ${ws} ${valueRule}`) };
    });
    // Properties come in declared order; whichever comes first carries no comma, so there is one
    // alternative per property that can be first (up to and including the first required one).
    const tails: string[] = [];
    for (let index = pairs.length - 1, tail = ''; index >= 0; index--) {
      tails[index] = tail;
      const pair = `${ws} "," ${ws} ${pairs[index]!.rule}`;
      tail = `${pairs[index]!.required ? pair : `( ${pair} )?`}${tail ? ` ${tail}` : ''}`;
    }
    const firstRequired = pairs.findIndex((pair) => pair.required);
    const last = firstRequired === -1 ? pairs.length - 1 : firstRequired;
    const alternatives = pairs.slice(0, last + 1).map((pair, index) => `${pair.rule}${tails[index] ? ` ${tails[index]}` : ''}`);
    const members = alternatives.length === 1 ? alternatives[0]! : `( ${alternatives.join(' | ')} )`;
    return firstRequired === -1 ? `"{" ${ws} ( ${members} ${ws} )? "}"` : `"{" ${ws} ${members} ${ws} "}"`;
  }

  private array(node: Record<string, unknown>, name: string, where: string): string {
    if (Array.isArray(node.items)) throw new Error(`schemaToGbnf: "items" as an array (tuple validation) is not supported (at ${where})`);
    const min = count(node.minItems, 'minItems', where) ?? 0;
    const max = count(node.maxItems, 'maxItems', where);
    if (max !== undefined && max < min) throw new Error(`schemaToGbnf: maxItems < minItems at ${where}, so no array matches`);
    const ws = this.use('ws');
    if (max === 0) return `"[" ${ws} "]"`;
    const item = this.rule(`${name}-item`, this.body(node.items ?? true, `${name}-item`, `${where === '/' ? '' : where}/items`));
    const more = repeat(`( ${ws} "," ${ws} ${item} )`, Math.max(min - 1, 0), max === undefined ? undefined : max - 1);
    const list = more ? `${item} ${more}` : item;
    return min === 0 ? `"[" ${ws} ( ${list} ${ws} )? "]"` : `"[" ${ws} ${list} ${ws} "]"`;
  }

  private string(node: Record<string, unknown>, where: string): string {
    const min = count(node.minLength, 'minLength', where);
    const max = count(node.maxLength, 'maxLength', where);
    const lengths = min !== undefined || max !== undefined;
    if (node.format !== undefined) {
      const format = formats[String(node.format)];
      if (!format) throw new Error(`schemaToGbnf: format ${JSON.stringify(node.format)} is not supported (at ${where}); supported: date, date-time, time`);
      if (lengths || node.pattern !== undefined) throw new Error(`schemaToGbnf: "format" combined with "pattern", "minLength" or "maxLength" is not supported (at ${where})`);
      return `"\\"" ${this.use(format)} "\\""`;
    }
    if (typeof node.pattern === 'string') {
      if (lengths) throw new Error(`schemaToGbnf: "pattern" combined with "minLength" or "maxLength" is not supported (at ${where})`);
      return `"\\"" ( ${new PatternTranslator(node.pattern, where, () => this.use('char')).translate()} ) "\\""`;
    }
    if (max !== undefined && min !== undefined && max < min) throw new Error(`schemaToGbnf: maxLength < minLength at ${where}, so no string matches`);
    if (!lengths) return this.use('string');
    const chars = repeat(this.use('char'), min ?? 0, max);
    return chars ? `"\\"" ${chars} "\\""` : `"\\"" "\\""`;
  }
}

function inferType(node: Record<string, unknown>): string {
  if ('properties' in node || 'required' in node || 'additionalProperties' in node) return 'object';
  if ('items' in node || 'minItems' in node || 'maxItems' in node) return 'array';
  if ('pattern' in node || 'format' in node || 'minLength' in node || 'maxLength' in node) return 'string';
  if ('minimum' in node || 'exclusiveMinimum' in node || 'maximum' in node || 'exclusiveMaximum' in node) return 'number';
  return 'any';
}

function numberRule(node: Record<string, unknown>, type: 'number' | 'integer'): string {
  const minimum = typeof node.minimum === 'number' ? node.minimum : undefined;
  // Draft-04 spelled a strict bound as `exclusiveMinimum: true` beside `minimum`.
  const exclusive = typeof node.exclusiveMinimum === 'number' ? node.exclusiveMinimum : node.exclusiveMinimum === true ? minimum : undefined;
  const inclusive = node.exclusiveMinimum === true ? undefined : minimum;
  if (type === 'integer') {
    const lowest = Math.max(inclusive === undefined ? -Infinity : Math.ceil(inclusive), exclusive === undefined ? -Infinity : Math.floor(exclusive) + 1);
    return lowest >= 1 ? 'integer-positive' : lowest >= 0 ? 'integer-nonnegative' : 'integer';
  }
  if ((exclusive !== undefined && exclusive >= 0) || (inclusive !== undefined && inclusive > 0)) return 'number-positive';
  return inclusive !== undefined && inclusive >= 0 ? 'number-nonnegative' : 'number';
}

function count(value: unknown, keyword: string, where: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`schemaToGbnf: "${keyword}" at ${where} must be a non-negative integer`);
  return value;
}

/** `item` repeated min..max times (max undefined: unbounded); '' when exactly zero times. */
function repeat(item: string, min: number, max: number | undefined): string {
  if (max === undefined) return min === 0 ? `${item}*` : min === 1 ? `${item}+` : `${item}{${min},}`;
  if (max === 0) return '';
  if (min === max) return min === 1 ? item : `${item}{${min}}`;
  return min === 0 && max === 1 ? `${item}?` : `${item}{${min},${max}}`;
}

function sanitize(key: string): string {
  return key.replace(/[^a-zA-Z0-9-]+/g, '-') || 'property';
}

/** A GBNF string literal matching `text` exactly. */
function literal(text: string): string {
  let escaped = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') escaped += `\\${char}`;
    else if (char === '\n') escaped += '\\n';
    else if (char === '\r') escaped += '\\r';
    else if (char === '\t') escaped += '\\t';
    else if (code < 0x20) escaped += `\\x${code.toString(16).padStart(2, '0')}`;
    else escaped += char;
  }
  return `"${escaped}"`;
}

/** The JSON-string text of one character, as a GBNF literal (`"` becomes `"\\\""`). */
function jsonCharLiteral(code: number): string {
  return literal(JSON.stringify(String.fromCodePoint(code)).slice(1, -1));
}

const maxCodePoint = 0x10ffff;
const digits: Range[] = [[0x30, 0x39]];
const wordChars: Range[] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
];
const spaces: Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const lineTerminators: Range[] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
/** Characters a JSON string cannot hold raw (they need an escape), plus the surrogates UTF-8 cannot hold at all. */
const notRaw: Range[] = [
  [0x00, 0x1f],
  [0x22, 0x22],
  [0x5c, 0x5c],
  [0xd800, 0xdfff],
];

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function complement(ranges: Range[]): Range[] {
  const result: Range[] = [];
  let next = 0;
  for (const [start, end] of normalize(ranges)) {
    if (start > next) result.push([next, start - 1]);
    next = end + 1;
  }
  if (next <= maxCodePoint) result.push([next, maxCodePoint]);
  return result;
}

function subtract(ranges: Range[], removed: Range[]): Range[] {
  return complement([...complement(ranges), ...removed]);
}

function classCharacter(code: number): string {
  if (/[0-9A-Za-z]/.test(String.fromCodePoint(code))) return String.fromCodePoint(code);
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
}

/** A GBNF expression for one JSON-string character from `ranges`: raw where JSON allows, escaped otherwise. */
function characterClass(ranges: Range[], pattern: string): string {
  const set = normalize(ranges);
  const parts: string[] = [];
  const raw = subtract(set, notRaw);
  if (raw.length > 0) parts.push(`[${raw.map(([start, end]) => (start === end ? classCharacter(start) : `${classCharacter(start)}-${classCharacter(end)}`)).join('')}]`);
  for (const [start, end] of set) {
    for (let code = start; code <= Math.min(end, 0x5c); code++) if (code < 0x20 || code === 0x22 || code === 0x5c) parts.push(jsonCharLiteral(code));
  }
  if (parts.length === 0) throw new Error(`schemaToGbnf: a character class in pattern ${JSON.stringify(pattern)} matches no character`);
  return parts.length === 1 ? parts[0]! : `( ${parts.join(' | ')} )`;
}

/**
 * Translates the regex subset into GBNF over JSON-string text: anchors ^ $ at the ends of the
 * top-level alternatives, literals, escapes, classes, `.`, quantifiers (greedy or lazy — the
 * same language), groups and alternation. A side without an anchor matches any characters, as
 * JSON Schema patterns are searches, not full matches.
 */
class PatternTranslator {
  private readonly chars: string[];
  private index = 0;

  constructor(
    private readonly pattern: string,
    private readonly where: string,
    private readonly anyChar: () => string,
  ) {
    this.chars = Array.from(pattern);
  }

  translate(): string {
    const expression = this.alternation(true);
    if (this.index < this.chars.length) this.fail(`an unmatched ")"`);
    return expression;
  }

  private fail(construct: string): never {
    throw new Error(`schemaToGbnf: pattern ${JSON.stringify(this.pattern)} at ${this.where} uses ${construct}, which is not supported`);
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.index + offset];
  }

  private alternation(topLevel: boolean): string {
    const branches: string[] = [];
    for (;;) {
      const parts: string[] = [];
      const anchoredStart = topLevel && this.peek() === '^' && Boolean(++this.index);
      let anchoredEnd = false;
      while (this.index < this.chars.length && this.peek() !== '|' && this.peek() !== ')') {
        if (this.peek() === '$') {
          this.index++;
          if (!topLevel || (this.index < this.chars.length && this.peek() !== '|')) this.fail('the anchor $ away from the end');
          anchoredEnd = true;
          break;
        }
        parts.push(this.quantified(this.term()));
      }
      if (topLevel && !anchoredStart) parts.unshift(`${this.anyChar()}*`);
      if (topLevel && !anchoredEnd) parts.push(`${this.anyChar()}*`);
      if (parts.length === 0 && (!topLevel || branches.length > 0 || this.peek() === '|')) this.fail('an empty alternative');
      branches.push(parts.join(' '));
      if (this.peek() !== '|') break;
      this.index++;
    }
    return branches.length === 1 ? branches[0]! : branches.join(' | ');
  }

  private term(): string {
    const char = this.chars[this.index++]!;
    switch (char) {
      case '(':
        return this.group();
      case '[':
        return characterClass(this.characterSet(), this.pattern);
      case '.':
        return characterClass(complement(lineTerminators), this.pattern);
      case '\\': {
        const escaped = this.escape(false);
        return typeof escaped === 'number' ? jsonCharLiteral(escaped) : characterClass(escaped, this.pattern);
      }
      case '^':
        return this.fail('the anchor ^ away from the start');
      case '*':
      case '+':
      case '?':
      case '{':
        return this.fail(`a quantifier "${char}" with nothing to repeat`);
      case ')':
      case ']':
      case '}':
        return this.fail(`an unmatched "${char}"`);
      default:
        return jsonCharLiteral(char.codePointAt(0)!);
    }
  }

  private group(): string {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === ':') this.index += 2;
      else if (next === '=' || next === '!') this.fail('a lookahead (?= or (?!');
      else if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) this.fail('a lookbehind (?<= or (?<!');
      else if (next === '<') {
        const close = this.chars.indexOf('>', this.index);
        if (close === -1) this.fail('an unterminated group name');
        this.index = close + 1;
      } else this.fail(`the group modifier "(?${next ?? ''}"`);
    }
    const inner = this.alternation(false);
    if (this.chars[this.index++] !== ')') this.fail('an unterminated group "("');
    return `( ${inner} )`;
  }

  private quantified(term: string): string {
    const char = this.peek();
    let quantifier: string;
    if (char === '?' || char === '*' || char === '+') {
      this.index++;
      quantifier = char;
    } else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.chars.slice(this.index).join(''));
      if (!match) return this.fail('a "{" that is not a quantifier {n}, {n,} or {n,m}');
      this.index += match[0].length;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? undefined : Number(match[3]);
      if (max !== undefined && max < min) this.fail(`the quantifier ${match[0]} with max < min`);
      quantifier = max === undefined ? `{${min},}` : max === min ? `{${min}}` : `{${min},${max}}`;
    } else return term;
    if (this.peek() === '?') this.index++; // lazy: the same strings match
    if (this.peek() === '?' || this.peek() === '*' || this.peek() === '+' || this.peek() === '{') this.fail('a quantifier applied to a quantifier');
    return `${term}${quantifier}`;
  }

  private characterSet(): Range[] {
    const negated = this.peek() === '^' && Boolean(++this.index);
    const ranges: Range[] = [];
    while (this.peek() !== ']') {
      if (this.peek() === undefined) this.fail('an unterminated character class "["');
      const start = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.index++;
        const end = this.classAtom();
        if (typeof start !== 'number' || typeof end !== 'number') this.fail('a class range with a class escape (\\d, \\w, \\s) at one end');
        if (end < start) this.fail('a class range out of order');
        ranges.push([start, end]);
      } else if (typeof start === 'number') ranges.push([start, start]);
      else ranges.push(...start);
    }
    this.index++;
    return negated ? complement(ranges) : ranges;
  }

  private classAtom(): number | Range[] {
    const char = this.chars[this.index++]!;
    return char === '\\' ? this.escape(true) : char.codePointAt(0)!;
  }

  /** Reads the escape after a backslash: a code point, or a set for \d \w \s and their negations. */
  private escape(inClass: boolean): number | Range[] {
    const char = this.chars[this.index++];
    if (char === undefined) return this.fail('a trailing backslash');
    const sets: Record<string, Range[]> = { d: digits, w: wordChars, s: spaces };
    if (char.toLowerCase() in sets) return char === char.toLowerCase() ? sets[char]! : complement(sets[char.toLowerCase()]!);
    const controls: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b };
    if (char in controls) return controls[char]!;
    if (char === '0' && !/\d/.test(this.peek() ?? '')) return 0;
    if (char === 'b' && inClass) return 0x08;
    if (char === 'x' || char === 'u') {
      const text = this.chars.slice(this.index).join('');
      const match = char === 'x' ? /^[0-9a-fA-F]{2}/.exec(text) : (/^\{([0-9a-fA-F]{1,6})\}/.exec(text) ?? /^[0-9a-fA-F]{4}/.exec(text));
      if (!match) return this.fail(`a malformed \\${char} escape`);
      this.index += match[0].length;
      return parseInt(match[1] ?? match[0], 16);
    }
    if (char === 'b' || char === 'B') return this.fail(`the word boundary \\${char}`);
    if (/[1-9]/.test(char) || char === 'k') return this.fail('a backreference');
    if (char === 'p' || char === 'P') return this.fail(`the Unicode property escape \\${char}`);
    if (char === 'c') return this.fail('the control escape \\c');
    if (/[\^$\\.*+?()[\]{}|/-]/.test(char)) return char.codePointAt(0)!;
    return this.fail(`the unknown escape \\${char}`);
  }
}
