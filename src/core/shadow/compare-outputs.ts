import { canonicalJson } from '../canonical-json.js';

export interface FieldRule {
  match: 'exact' | 'numeric' | 'normalized';
  tolerance: number;
  relative: boolean;
}

export interface ComparisonSettings {
  mode: 'auto' | 'structured' | 'text';
  /** By path with array indices written `[]` (`line_items[].amount`). */
  fields: Readonly<Record<string, FieldRule>>;
  defaultMatch: 'exact' | 'normalized';
  numericTolerance: number;
  textSimilarity: number;
}

/** Per-field agreement of two structured answers, or similarity of two texts. */
export type Comparison = { kind: 'structured'; fields: Record<string, boolean> } | { kind: 'text'; similarity: number; lengthRatio: number; agrees: boolean };

/** Most leaves compared per answer: the walk is linear and bounded whatever the model sent. */
const maxLeaves = 2_000;

/** A model answer as JSON when it is one (a fenced ```json block included), else undefined. */
export function parseStructured(text: string): Record<string, unknown> | undefined {
  const trimmed = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(trimmed) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Compares each leaf of the primary's answer with the candidate's leaf at the same path, and
 * counts each candidate leaf the primary lacks as a disagreement too. Arrays compare by index.
 */
export function compareStructured(primary: unknown, candidate: unknown, settings: ComparisonSettings): Record<string, boolean> {
  const left = leaves(primary);
  const right = leaves(candidate);
  const fields: Record<string, boolean> = {};
  for (const [path, value] of left) {
    fields[path] = right.has(path) && leafAgrees(value, right.get(path), settings.fields[genericPath(path)], settings);
  }
  for (const path of right.keys()) if (!left.has(path)) fields[path] = false;
  return fields;
}

/** Cosine similarity of the two texts' vectors (L2-normalised by the embedder) and their length ratio. */
export function compareText(primary: string, candidate: string, vectors: readonly [Float32Array, Float32Array], settings: ComparisonSettings): Comparison {
  const [a, b] = vectors;
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index]! * (b[index] ?? 0);
  const similarity = primary === candidate ? 1 : Math.max(0, Math.min(1, dot));
  const lengthRatio = primary.length === 0 ? (candidate.length === 0 ? 1 : Number.POSITIVE_INFINITY) : candidate.length / primary.length;
  return { kind: 'text', similarity, lengthRatio, agrees: similarity >= settings.textSimilarity };
}

/** `line_items[3].amount` → `line_items[].amount`: the form rules are written in. */
export function genericPath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

function leafAgrees(primary: unknown, candidate: unknown, rule: FieldRule | undefined, settings: ComparisonSettings): boolean {
  const match = rule?.match ?? (typeof primary === 'number' && typeof candidate === 'number' ? 'numeric' : settings.defaultMatch);
  switch (match) {
    case 'numeric': {
      const x = typeof primary === 'number' ? primary : Number(primary);
      const y = typeof candidate === 'number' ? candidate : Number(candidate);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
      const tolerance = rule ? (rule.relative ? rule.tolerance * Math.abs(x) : rule.tolerance) : settings.numericTolerance;
      return Math.abs(x - y) <= tolerance;
    }
    case 'normalized':
      if (typeof primary === 'string' && typeof candidate === 'string') return normalize(primary) === normalize(candidate);
      return canonicalJson(primary) === canonicalJson(candidate);
    case 'exact':
      return canonicalJson(primary) === canonicalJson(candidate);
  }
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Leaves by path; an empty object or array is a leaf of its own. */
function leaves(value: unknown): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const stack: Array<[string, unknown]> = [['', value]];
  while (stack.length > 0 && found.size < maxLeaves) {
    const [path, node] = stack.pop()!;
    if (Array.isArray(node) && node.length > 0) {
      for (let index = node.length - 1; index >= 0; index--) stack.push([`${path}[${index}]`, node[index]]);
    } else if (typeof node === 'object' && node !== null && Object.keys(node).length > 0) {
      const entries = Object.entries(node);
      for (let index = entries.length - 1; index >= 0; index--) stack.push([path === '' ? entries[index]![0] : `${path}.${entries[index]![0]}`, entries[index]![1]]);
    } else found.set(path === '' ? '$' : path, node);
  }
  return found;
}
