type Schema = Record<string, unknown>;

/**
 * Keywords kept in the strict variant: OpenAI's strict subset, plus the composition keywords
 * it rejects (`allOf`, `not`, `if`/`then`/`else`, `dependentSchemas`). Those stay on purpose:
 * dropping them would silently change the record's shape, while keeping them makes OpenAI
 * answer 400 with the keyword named, so the pipeline can switch to the `prompt` strategy.
 */
const keptKeywords = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'enum',
  'const',
  'anyOf',
  '$ref',
  '$defs',
  'definitions',
  'title',
  'description',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentSchemas',
]);
const strictFormats = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/**
 * The variant of a JSON Schema to send as `response_format: json_schema` with `strict: true`.
 * What changes, at every level (properties, items, anyOf branches, `$defs`):
 * - every object gets `additionalProperties: false` (a schema-valued `additionalProperties`
 *   or `patternProperties`, i.e. a free-keyed map, cannot be expressed and becomes `{}`-only);
 * - every property is listed in `required`; a property that was optional becomes nullable
 *   (`type: [t, "null"]`, `null` added to an `enum`, or `anyOf: [schema, {type: "null"}]` for
 *   `$ref`/`const`), so the model answers `null` where it would have left the key out;
 * - `oneOf` becomes `anyOf`; keywords outside the subset (`default`, `examples`, `minLength`,
 *   `maxLength`, `uniqueItems`, `$schema`, `$id`, formats other than date/time/email/… ) are dropped.
 * Validation always uses the original schema, after `dropOptionalNulls` turns those nulls back
 * into absent keys, so every dropped constraint is still enforced.
 */
export function toStrictSchema(schema: Schema): Schema {
  return strictNode(schema, false);
}

function strictNode(node: Schema, nullable: boolean): Schema {
  const result: Schema = {};
  const objectSchema = isObjectSchema(node);
  for (const [keyword, value] of Object.entries(node)) {
    if (objectSchema && (keyword === 'properties' || keyword === 'required' || keyword === 'additionalProperties')) continue;
    if (keyword === 'oneOf' && Array.isArray(value)) result.anyOf = value.map((branch) => strictChild(branch));
    else if (!keptKeywords.has(keyword)) continue;
    else if (keyword === 'format' && !(typeof value === 'string' && strictFormats.has(value))) continue;
    else if (keyword === 'properties' || keyword === '$defs' || keyword === 'definitions') result[keyword] = mapValues(value, strictChild);
    else if (['items', 'not', 'if', 'then', 'else'].includes(keyword)) result[keyword] = Array.isArray(value) ? value.map(strictChild) : strictChild(value);
    else if (['anyOf', 'allOf', 'prefixItems'].includes(keyword) && Array.isArray(value)) result[keyword] = value.map(strictChild);
    else if (keyword === 'dependentSchemas') result[keyword] = mapValues(value, strictChild);
    else result[keyword] = value;
  }
  if (objectSchema) {
    const properties = isRecord(node.properties) ? node.properties : {};
    const required = new Set(Array.isArray(node.required) ? node.required : []);
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, required.has(name) ? strictChild(property) : strictNode(asSchema(property), true)]),
    );
    result.required = Object.keys(properties);
    result.additionalProperties = false;
  }
  return nullable ? makeNullable(result) : result;
}

function strictChild(value: unknown): unknown {
  return isRecord(value) ? strictNode(value, false) : value;
}

function makeNullable(node: Schema): Schema {
  if (allowsNull(node, node)) return node;
  if (node.const !== undefined || node.$ref !== undefined || (node.type === undefined && node.enum === undefined && node.anyOf === undefined)) {
    return { anyOf: [node, { type: 'null' }] };
  }
  const result = { ...node };
  if (typeof node.type === 'string') result.type = [node.type, 'null'];
  else if (Array.isArray(node.type)) result.type = [...node.type, 'null'];
  if (Array.isArray(node.enum)) result.enum = [...node.enum, null];
  if (Array.isArray(node.anyOf)) result.anyOf = [...node.anyOf, { type: 'null' }];
  return result;
}

/**
 * Removes `null` values of properties the original schema does not require and whose own
 * schema does not accept `null`: the inverse of the nullable optionals of `toStrictSchema`.
 * Follows properties, array items, `allOf` and local `$ref`s (`#/$defs/...`); inside `anyOf`
 * or `oneOf` it follows the branch only when exactly one branch describes an object.
 * Returns a new value; the input is not modified.
 */
export function dropOptionalNulls(schema: Schema, value: unknown): unknown {
  return dropIn(schema, value, schema, 0);
}

function dropIn(node: unknown, value: unknown, root: Schema, depth: number): unknown {
  const schema = resolve(node, root);
  if (!schema || depth > 64) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (isRecord(items)) return value.map((item) => dropIn(items, item, root, depth + 1));
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(items) ? items : [];
    return value.map((item, index) => (index < tuple.length ? dropIn(tuple[index], item, root, depth + 1) : item));
  }
  if (!isRecord(value)) return value;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  let result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (property === undefined) result[name] = item;
    else if (item === null && !required.has(name) && !allowsNull(property, root)) continue;
    else result[name] = dropIn(property, item, root, depth + 1);
  }
  for (const branch of Array.isArray(schema.allOf) ? schema.allOf : []) result = dropIn(branch, result, root, depth + 1) as Record<string, unknown>;
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = Array.isArray(schema[keyword]) ? (schema[keyword] as unknown[]) : [];
    const objectBranches = branches.filter((branch) => {
      const resolved = resolve(branch, root);
      return resolved !== undefined && isObjectSchema(resolved);
    });
    if (objectBranches.length === 1) result = dropIn(objectBranches[0], result, root, depth + 1) as Record<string, unknown>;
  }
  return result;
}

/** Whether `node` accepts `null`, judged from its keywords (conservatively: no subschema evaluation). */
function allowsNull(node: unknown, root: Schema, depth = 0): boolean {
  if (node === true) return true;
  const schema = resolve(node, root);
  if (!schema || depth > 16) return false;
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  if (Array.isArray(schema.enum)) return schema.enum.includes(null);
  if ('const' in schema) return schema.const === null;
  for (const keyword of ['anyOf', 'oneOf']) {
    if (Array.isArray(schema[keyword])) return (schema[keyword] as unknown[]).some((branch) => allowsNull(branch, root, depth + 1));
  }
  // A schema with no type constraint at all (`{}`, `{ description }`) accepts anything.
  return schema.type === undefined && schema.$ref === undefined && schema.properties === undefined && schema.allOf === undefined && schema.not === undefined;
}

/** Follows local `$ref`s (`#/$defs/address`, `#/definitions/address`, `#`); others are left unresolved. */
function resolve(node: unknown, root: Schema): Schema | undefined {
  let current = node;
  for (let hops = 0; hops < 16 && isRecord(current) && typeof current.$ref === 'string'; hops++) {
    const reference = current.$ref;
    if (!reference.startsWith('#')) return current;
    let target: unknown = root;
    for (const segment of reference.slice(1).split('/').filter(Boolean)) {
      target = isRecord(target) ? target[decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
    }
    current = target;
  }
  return isRecord(current) ? current : undefined;
}

function isObjectSchema(node: Schema): boolean {
  return node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || (node.type === undefined && isRecord(node.properties));
}

function mapValues(value: unknown, map: (item: unknown) => unknown): unknown {
  return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, map(item)])) : value;
}

function asSchema(value: unknown): Schema {
  return isRecord(value) ? value : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
