/**
 * Whether a scalar value satisfies one schema node's own keywords (type, enum, const, string
 * length / pattern / format, numeric bounds / multipleOf). The mock provider checks each value
 * it takes from a document with this before using it; composite keywords are the caller's.
 */
export function scalarCheck(node: Record<string, unknown>, value: unknown): boolean {
  if ('const' in node && node.const !== value) return false;
  if (Array.isArray(node.enum) && !node.enum.includes(value)) return false;
  const types = Array.isArray(node.type) ? node.type : typeof node.type === 'string' ? [node.type] : undefined;
  if (types && !types.some((type) => typeMatches(type, value))) return false;
  if (typeof value === 'string') return stringCheck(node, value);
  if (typeof value === 'number') return numberCheck(node, value);
  return true;
}

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

function stringCheck(node: Record<string, unknown>, value: string): boolean {
  const length = [...value].length;
  if (typeof node.minLength === 'number' && length < node.minLength) return false;
  if (typeof node.maxLength === 'number' && length > node.maxLength) return false;
  if (typeof node.pattern === 'string') {
    try {
      if (!new RegExp(node.pattern, 'u').test(value)) return false;
    } catch {
      return false;
    }
  }
  const format = typeof node.format === 'string' ? formats[node.format] : undefined;
  return format ? format(value) : true;
}

/** Stricter than or equal to ajv-formats' full mode for the formats the mock fills. */
const formats: Record<string, (value: string) => boolean> = {
  date: (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && validDate(value),
  'date-time': (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && validDate(value.slice(0, 10)),
  email: (value) => /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/.test(value),
  uri: (value) => /^https?:\/\/[a-zA-Z0-9.-]+(?::\d+)?(?:\/[\w\-.~%/]*)?$/.test(value),
  uuid: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
};

export function validDate(iso: string): boolean {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function numberCheck(node: Record<string, unknown>, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = node;
  if (typeof minimum === 'number' && (exclusiveMinimum === true ? value <= minimum : value < minimum)) return false;
  if (typeof maximum === 'number' && (exclusiveMaximum === true ? value >= maximum : value > maximum)) return false;
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) return false;
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) return false;
  // ajv's own test: the quotient must be an integer.
  if (typeof multipleOf === 'number' && multipleOf > 0 && !Number.isInteger(value / multipleOf)) return false;
  return true;
}
