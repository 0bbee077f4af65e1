/**
 * JSON with object keys sorted, built as one string so a hash is fed once: two values that
 * differ only in key order get the same text. `skipTop` names top-level fields to leave out.
 */
export function canonicalJson(value: unknown, skipTop?: ReadonlySet<string>): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  let text = '{';
  for (const name of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined || skipTop?.has(name)) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(name)}:${canonicalJson(item)}`;
  }
  return `${text}}`;
}
