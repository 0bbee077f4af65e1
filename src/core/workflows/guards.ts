/**
 * The small expression language of YAML workflows: JSON pointers into a scope
 * (`/context/order/amount`, `/args/amount`, `/result/status`), references that copy a value
 * (`{ $ref: /context/input/order_id }`), `{{/pointer}}` placeholders in text, and guards
 * (`{ path, gt: 100 }`, `{ all: [...] }`, `{ any: [...] }`, `{ not: ... }`).
 */
export type Scope = Record<string, unknown>;

export function pointer(scope: unknown, path: string): unknown {
  if (path === '' || path === '/') return scope;
  let current: unknown = scope;
  for (const raw of path.replace(/^\//, '').split('/')) {
    const part = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Copies `template`, replacing every `{ $ref: pointer }` with the value it points at. */
export function resolveRefs(template: unknown, scope: Scope): unknown {
  if (Array.isArray(template)) return template.map((item) => resolveRefs(item, scope));
  if (template !== null && typeof template === 'object') {
    const object = template as Record<string, unknown>;
    if (typeof object.$ref === 'string' && Object.keys(object).length === 1) return pointer(scope, object.$ref);
    return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, resolveRefs(value, scope)]));
  }
  return template;
}

/** Replaces `{{/pointer}}` in text with the value (JSON for objects). */
export function fillText(text: string, scope: Scope): string {
  return text.replace(/\{\{\s*(\/[^}\s]*)\s*\}\}/g, (_, path: string) => {
    const value = pointer(scope, path);
    return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  });
}

const comparisons = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'] as const;

export type Guard = { all: Guard[] } | { any: Guard[] } | { not: Guard } | ({ path: string } & Partial<Record<(typeof comparisons)[number], unknown>>);

export function checkGuard(guard: unknown, where: string): Guard {
  if (guard === null || typeof guard !== 'object') throw new Error(`${where}: a guard is an object ({ path, gt: 1 }, { all: [...] }, { any: [...] }, { not: ... })`);
  const object = guard as Record<string, unknown>;
  if (Array.isArray(object.all)) object.all.forEach((item, index) => checkGuard(item, `${where}.all[${index}]`));
  else if (Array.isArray(object.any)) object.any.forEach((item, index) => checkGuard(item, `${where}.any[${index}]`));
  else if ('not' in object) checkGuard(object.not, `${where}.not`);
  else if (typeof object.path !== 'string' || !comparisons.some((name) => name in object)) {
    throw new Error(`${where}: give path (a JSON pointer such as /context/amount) and one of ${comparisons.join(', ')}`);
  }
  return guard as Guard;
}

export function evaluate(guard: Guard, scope: Scope): boolean {
  if ('all' in guard) return guard.all.every((item) => evaluate(item, scope));
  if ('any' in guard) return guard.any.some((item) => evaluate(item, scope));
  if ('not' in guard) return !evaluate(guard.not, scope);
  const value = pointer(scope, guard.path);
  const number = (operand: unknown) => typeof value === 'number' && typeof operand === 'number';
  if ('exists' in guard) return (value !== undefined && value !== null) === Boolean(guard.exists);
  if ('eq' in guard) return JSON.stringify(value) === JSON.stringify(guard.eq);
  if ('ne' in guard) return JSON.stringify(value) !== JSON.stringify(guard.ne);
  if ('in' in guard) return Array.isArray(guard.in) && guard.in.some((option) => JSON.stringify(option) === JSON.stringify(value));
  if ('gt' in guard) return number(guard.gt) && (value as number) > (guard.gt as number);
  if ('gte' in guard) return number(guard.gte) && (value as number) >= (guard.gte as number);
  if ('lt' in guard) return number(guard.lt) && (value as number) < (guard.lt as number);
  if ('lte' in guard) return number(guard.lte) && (value as number) <= (guard.lte as number);
  return false;
}
