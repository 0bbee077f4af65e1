/** How much structure a `json_schema` response format asks for. */
export interface SchemaComplexity {
  /** Properties at every level. */
  properties: number;
  /** Nesting depth of objects and arrays (a flat object is 1). */
  depth: number;
  enums: number;
  arrays: number;
  /** One number to compare: properties + enums + arrays + 2 per nesting level below the top. */
  score: number;
}

const combinators = ['anyOf', 'oneOf', 'allOf'] as const;

export function schemaComplexity(schema: unknown): SchemaComplexity {
  const totals = { properties: 0, depth: 0, enums: 0, arrays: 0 };
  const definitions = new Set<unknown>();
  const visit = (node: unknown, depth: number) => {
    // Schemas can be large and recursive through $defs; depth 12 is far beyond any real form.
    if (typeof node !== 'object' || node === null || depth > 12 || definitions.has(node)) return;
    definitions.add(node);
    const schemaNode = node as Record<string, unknown>;
    if (Array.isArray(schemaNode.enum) || schemaNode.const !== undefined) totals.enums++;
    const properties = schemaNode.properties;
    if (typeof properties === 'object' && properties !== null) {
      totals.depth = Math.max(totals.depth, depth);
      for (const child of Object.values(properties)) {
        totals.properties++;
        visit(child, depth + 1);
      }
    }
    if (schemaNode.type === 'array' || schemaNode.items !== undefined) {
      totals.arrays++;
      totals.depth = Math.max(totals.depth, depth);
      visit(schemaNode.items, depth + 1);
    }
    for (const combinator of combinators) {
      const options = schemaNode[combinator];
      if (Array.isArray(options)) for (const option of options) visit(option, depth);
    }
    for (const key of ['$defs', 'definitions'] as const) {
      const defs = schemaNode[key];
      if (typeof defs === 'object' && defs !== null) for (const child of Object.values(defs)) visit(child, depth);
    }
  };
  visit(schema, 1);
  return { ...totals, score: totals.properties + totals.enums + totals.arrays + 2 * Math.max(0, totals.depth - 1) };
}
