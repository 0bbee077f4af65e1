/**
 * A small, deterministic value of a JSON Schema's shape, for the mock provider's
 * structured answers and tool arguments. Covers the keywords demo schemas use.
 */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 8) return null;
  const node = schema as Record<string, unknown>;
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  if (Array.isArray(node.anyOf)) return sampleFromSchema(node.anyOf[0], depth + 1);
  if (Array.isArray(node.oneOf)) return sampleFromSchema(node.oneOf[0], depth + 1);
  const type = Array.isArray(node.type) ? node.type.find((candidate) => candidate !== 'null') : node.type;
  switch (type) {
    case 'object': {
      const properties = (node.properties ?? {}) as Record<string, unknown>;
      const value: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(properties)) value[name] = sampleFromSchema(child, depth + 1);
      return value;
    }
    case 'array': {
      const count = typeof node.minItems === 'number' ? node.minItems : 1;
      return Array.from({ length: count }, () => sampleFromSchema(node.items, depth + 1));
    }
    case 'string':
      if (node.format === 'date') return '2026-01-01';
      if (node.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (node.format === 'email') return 'someone@example.com';
      return typeof node.minLength === 'number' && node.minLength > 4 ? 'x'.repeat(node.minLength) : 'mock';
    case 'integer':
      return typeof node.minimum === 'number' ? Math.ceil(node.minimum) : 1;
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 1.5;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'properties' in node ? sampleFromSchema({ ...node, type: 'object' }, depth) : null;
  }
}
