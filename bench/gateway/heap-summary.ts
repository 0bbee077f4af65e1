import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapLine {
  name: string;
  count: number;
  bytes: number;
}

/**
 * Self sizes of a `.heapsnapshot` grouped by node type and constructor name (`object Map`,
 * `string`, `code`, `array (object elements)`): what the live heap is made of after a full GC.
 */
export function summariseHeapSnapshot(path: string, top = 25): { totalBytes: number; lines: HeapLine[] } {
  const snapshot = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshot;
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, HeapLine>();
  let totalBytes = 0;
  for (let index = 0; index < snapshot.nodes.length; index += width) {
    const type = types[snapshot.nodes[index + typeAt]!] ?? '?';
    const bytes = snapshot.nodes[index + sizeAt]!;
    totalBytes += bytes;
    // Strings and code are grouped by kind; their "names" are their contents.
    const name =
      type === 'object' || type === 'closure' || type === 'array' || type === 'hidden' || type === 'native' ? `${type} ${snapshot.strings[snapshot.nodes[index + nameAt]!]}` : type;
    const line = groups.get(name) ?? { name, count: 0, bytes: 0 };
    line.count++;
    line.bytes += bytes;
    groups.set(name, line);
  }
  return { totalBytes, lines: [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top) };
}

export function formatHeapSummary(summary: { totalBytes: number; lines: HeapLine[] }): string[] {
  const mb = (bytes: number) => (bytes / 1_048_576).toFixed(2).padStart(8);
  return [
    `live heap after a full GC: ${mb(summary.totalBytes).trim()} MB`,
    ...summary.lines.map((line) => `  ${mb(line.bytes)} MB  ${String(line.count).padStart(8)}  ${line.name.slice(0, 100)}`),
  ];
}
