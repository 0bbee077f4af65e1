import type { DocumentText } from './document-text.js';
import { documentValue } from './document-value.js';
import { lineItemHints } from './line-item-hints.js';
import { samplePattern } from './sample-pattern.js';
import { scalarCheck } from './scalar-check.js';

type Node = Record<string, unknown>;
interface Sample {
  value: unknown;
  /** Whether some of the value was read from the document rather than made up. */
  fromDocument: boolean;
}
interface Place {
  name: string | undefined;
  parent: string | undefined;
  inArray: boolean;
}

const maxDepth = 12;
const formatSamples: Record<string, string> = {
  date: '2026-01-01',
  'date-time': '2026-01-01T00:00:00Z',
  time: '00:00:00Z',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  'uri-reference': 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/**
 * A deterministic value valid against a JSON Schema, for the mock provider's structured
 * answers and tool arguments. Covers type (with unions and nullable), properties / required /
 * additionalProperties, items / minItems / maxItems, enum / const, numeric bounds and
 * multipleOf, string length, `pattern` (see `samplePattern`), common formats, anyOf / oneOf
 * (first branch), allOf (merged shallowly) and local `$ref`s.
 *
 * With a `document`, values are read from it where a property's name, description or a known
 * synonym labels a line (`Invoice number: …`), each checked against its schema before use;
 * optional properties it does not state are left out, nullable ones are `null`.
 */
export function sampleFromSchema(schema: unknown, document?: DocumentText): unknown {
  return new SchemaSampler(schema, document).sample(schema, { name: undefined, parent: undefined, inArray: false }, undefined, 0).value;
}

class SchemaSampler {
  constructor(
    private readonly root: unknown,
    private readonly document: DocumentText | undefined,
  ) {}

  sample(schema: unknown, place: Place, hint: unknown, depth: number): Sample {
    if (schema === true) return { value: null, fromDocument: false };
    if (!isNode(schema) || depth > maxDepth) return { value: null, fromDocument: false };
    const node = this.resolve(schema, depth);
    if ('const' in node) return { value: node.const, fromDocument: false };
    const nullable = allowsNull(node);
    if (Array.isArray(node.enum)) {
      const option = node.enum.find((candidate) => candidate !== null) ?? node.enum[0] ?? null;
      return this.leaf(node, place, hint, typeof option, () => option, nullable);
    }
    const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    if (branches) {
      const first = branches.find((branch) => !(isNode(branch) && branch.type === 'null')) ?? branches[0];
      const chosen = this.sample(first, place, hint, depth + 1);
      return this.document && !chosen.fromDocument && nullable ? { value: null, fromDocument: false } : chosen;
    }
    const type = primaryType(node);
    switch (type) {
      case 'object':
        return this.object(node, place, hint, depth, nullable);
      case 'array':
        return this.array(node, place, hint, depth, nullable);
      case 'string':
        return this.leaf(node, place, hint, type, () => plainString(node), nullable);
      case 'integer':
      case 'number':
        return this.leaf(node, place, hint, type, () => plainNumber(node, type === 'integer'), nullable);
      case 'boolean':
        return { value: true, fromDocument: false };
      default:
        return { value: null, fromDocument: false };
    }
  }

  private leaf(node: Node, place: Place, hint: unknown, type: string, plain: () => unknown, nullable: boolean): Sample {
    if (hint !== undefined && scalarCheck(node, hint)) return { value: hint, fromDocument: true };
    if (this.document && place.name !== undefined && !place.inArray) {
      const found = documentValue(this.document, { name: place.name, parent: place.parent, node, type });
      if (found !== undefined && scalarCheck(node, found)) return { value: found, fromDocument: true };
    }
    return this.document && nullable ? { value: null, fromDocument: false } : { value: plain(), fromDocument: false };
  }

  private object(node: Node, place: Place, hint: unknown, depth: number, nullable: boolean): Sample {
    const properties = isNode(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required.filter((name): name is string => typeof name === 'string') : []);
    const hints = isNode(hint) ? hint : {};
    const value: Record<string, unknown> = {};
    let fromDocument = false;
    for (const [name, child] of Object.entries(properties)) {
      const sample = this.sample(child, { name, parent: place.name, inArray: place.inArray }, hints[name], depth + 1);
      fromDocument ||= sample.fromDocument;
      // With a document, leave out what it does not state, as the prompts ask a model to.
      if (this.document && !sample.fromDocument && !required.has(name)) continue;
      value[name] = sample.value;
    }
    for (const name of required) {
      if (name in value) continue;
      const extra = isNode(node.additionalProperties) ? node.additionalProperties : {};
      value[name] = this.sample(extra, { name, parent: place.name, inArray: place.inArray }, undefined, depth + 1).value;
    }
    if (this.document && nullable && !fromDocument) return { value: null, fromDocument: false };
    return { value, fromDocument };
  }

  private array(node: Node, place: Place, hint: unknown, depth: number, nullable: boolean): Sample {
    const min = typeof node.minItems === 'number' ? node.minItems : 0;
    const max = typeof node.maxItems === 'number' ? node.maxItems : Number.POSITIVE_INFINITY;
    const itemPlace = { name: place.name, parent: place.parent, inArray: true };
    const items = Array.isArray(node.prefixItems) ? undefined : Array.isArray(node.items) ? node.items[0] : node.items;
    let hints = Array.isArray(hint) ? hint : [];
    if (hints.length === 0 && this.document && !place.inArray && isNode(items)) hints = lineItemHints(this.document, this.resolve(items, depth));
    const samples = hints.slice(0, Math.min(max, 100)).map((itemHint) => this.sample(items, itemPlace, itemHint, depth + 1));
    const count = Math.min(Math.max(min, 1), max);
    while (samples.length < count) samples.push(this.sample(items, itemPlace, undefined, depth + 1));
    const fromDocument = samples.some((sample) => sample.fromDocument);
    if (this.document && nullable && !fromDocument) return { value: null, fromDocument: false };
    return { value: samples.map((sample) => sample.value), fromDocument };
  }

  /** Follows a local `$ref` and merges `allOf` into the node. */
  private resolve(node: Node, depth: number): Node {
    let current = node;
    for (let hops = 0; typeof current.$ref === 'string' && hops < maxDepth; hops++) {
      const { $ref, ...rest } = current;
      const target = pointer(this.root, $ref as string);
      if (!isNode(target)) return rest;
      current = { ...target, ...rest };
    }
    if (Array.isArray(current.allOf) && depth < maxDepth) {
      const { allOf, ...rest } = current;
      return Object.assign(rest, ...allOf.filter(isNode).map((part) => this.resolve(part, depth + 1))) as Node;
    }
    return current;
  }
}

function plainString(node: Node): string {
  const min = typeof node.minLength === 'number' ? node.minLength : 0;
  const max = typeof node.maxLength === 'number' ? node.maxLength : Number.POSITIVE_INFINITY;
  if (typeof node.pattern === 'string') {
    const matching = samplePattern(node.pattern, min, max);
    if (matching !== undefined) return matching;
  }
  const formatted = typeof node.format === 'string' ? formatSamples[node.format] : undefined;
  if (formatted !== undefined) return formatted;
  return ('mock' + 'x'.repeat(Math.max(min - 4, 0))).slice(0, max);
}

function plainNumber(node: Node, integer: boolean): number {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = node;
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  let lowOpen = false;
  let highOpen = false;
  if (typeof minimum === 'number') [low, lowOpen] = [minimum, exclusiveMinimum === true];
  if (typeof exclusiveMinimum === 'number' && exclusiveMinimum >= low) [low, lowOpen] = [exclusiveMinimum, true];
  if (typeof maximum === 'number') [high, highOpen] = [maximum, exclusiveMaximum === true];
  if (typeof exclusiveMaximum === 'number' && exclusiveMaximum <= high) [high, highOpen] = [exclusiveMaximum, true];
  const step = typeof multipleOf === 'number' && multipleOf > 0 ? multipleOf : integer ? 1 : undefined;
  const inRange = (value: number) => (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
  let value = integer ? 1 : 1.5;
  if (!inRange(value)) value = Number.isFinite(low) ? (lowOpen ? (Number.isFinite(high) ? (low + high) / 2 : low + 1) : low) : highOpen ? high - 1 : high;
  if (step === undefined) return value;
  // The multiple of `step` nearest above the value, or below it when that leaves the range.
  const up = Math.ceil(value / step) * step;
  const down = Math.floor(value / step) * step;
  const candidates = [up, down, up + step, down - step].map((candidate) => Number(candidate.toPrecision(12)));
  return candidates.find((candidate) => inRange(candidate) && Number.isInteger(candidate / step)) ?? value;
}

function primaryType(node: Node): string | undefined {
  const type = Array.isArray(node.type) ? (node.type.find((candidate) => candidate !== 'null') ?? 'null') : node.type;
  if (typeof type === 'string') return type;
  if ('properties' in node || 'required' in node || 'additionalProperties' in node) return 'object';
  if ('items' in node || 'prefixItems' in node) return 'array';
  if ('pattern' in node || 'minLength' in node || 'maxLength' in node || 'format' in node) return 'string';
  if ('minimum' in node || 'maximum' in node || 'exclusiveMinimum' in node || 'multipleOf' in node) return 'number';
  return undefined;
}

function allowsNull(node: Node): boolean {
  if (node.type === 'null' || (Array.isArray(node.type) && node.type.includes('null'))) return true;
  if (Array.isArray(node.enum) && node.enum.includes(null)) return true;
  const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : [];
  return branches.some((branch) => isNode(branch) && branch.type === 'null');
}

function pointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  return ref
    .slice(1)
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((current, part) => (isNode(current) ? current[part] : undefined), root);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
