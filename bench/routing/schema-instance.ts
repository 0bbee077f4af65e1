/**
 * A small value that a JSON Schema accepts, for the cascade bench's simulated models: every
 * required property (all of them under OpenAI's strict mode), the first enum or const value,
 * the least array length, bounds and lengths met, common formats. Patterns and combinations it
 * cannot meet yield a value the validator refuses; the bench checks and skips those requests.
 */
export function schemaInstance(schema: Record<string, unknown>, root: Record<string, unknown> = schema, depth = 0): unknown {
  if (depth > 12) return null;
  const next = (part: unknown) => schemaInstance(isRecord(part) ? part : {}, root, depth + 1);
  if (typeof schema.$ref === 'string') return next(resolve(schema.$ref, root));
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[keyword];
    if (Array.isArray(options) && options.length > 0) {
      if (keyword !== 'allOf') return next(options.find((option) => isRecord(option) && option.type !== 'null') ?? options[0]);
      return next(Object.assign({}, ...options.filter(isRecord)));
    }
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? (schema.properties ? 'object' : 'string')];
  const type = types.find((candidate) => candidate !== 'null') ?? 'null';
  switch (type) {
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
      return Object.fromEntries(required.map((name) => [name, next(properties[name])]));
    }
    case 'array': {
      const length = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length }, () => next(schema.items));
    }
    case 'integer':
    case 'number':
      return numberWithin(schema, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringFor(schema);
  }
}

function numberWithin(schema: Record<string, unknown>, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : undefined;
  let value = minimum ?? (maximum !== undefined ? Math.min(1, maximum) : 1);
  if (integer) value = Math.ceil(value);
  return value;
}

const formats: Record<string, string> = {
  date: '2024-05-01',
  'date-time': '2024-05-01T10:00:00Z',
  time: '10:00:00Z',
  email: 'someone@example.com',
  uri: 'https://example.com/a',
  url: 'https://example.com/a',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  ipv4: '192.0.2.1',
  hostname: 'example.com',
};

function stringFor(schema: Record<string, unknown>): string {
  const format = typeof schema.format === 'string' ? formats[schema.format] : undefined;
  if (format) return format;
  const least = typeof schema.minLength === 'number' ? schema.minLength : 1;
  const most = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  return 'x'.repeat(Math.min(Math.max(least, 3), most));
}

function resolve(reference: string, root: Record<string, unknown>): unknown {
  if (!reference.startsWith('#/')) return {};
  return reference
    .slice(2)
    .split('/')
    .reduce<unknown>((node, segment) => (isRecord(node) ? node[segment.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined), root);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
