import { createHash } from 'node:crypto';
import type { DocumentMetadata } from '../../../core/ports/collection-store.js';

/**
 * Filters as full-text terms. Every chunk's row in its collection's FTS5 table carries, in a
 * `filters` column that ranking weighs 0, one term naming its exact set of access tags (`a…`)
 * and one per metadata field and value (`m…`). A text search then says "in one of the tag sets
 * the key may see, with these metadata values, and any of these words" in a single MATCH, so
 * FTS5 ranks only chunks the caller may see and `LIMIT k` is exact: nothing is filtered out of
 * the results afterwards. Terms are hex digests, so no tag or value reaches the query syntax.
 */
export function accessSetTerm(tags: readonly string[]): string {
  return `a${digest(JSON.stringify([...new Set(tags)].sort()))}`;
}

/** A metadata field's term; values compare with their JSON type (`true` is not `1`), as the vector filter does. */
export function metadataTerm(field: string, value: string | number | boolean): string {
  return `m${digest(`${field}\0${JSON.stringify(value)}`)}`;
}

/** The `filters` column of a chunk. */
export function filterTerms(accessTags: readonly string[], metadata: DocumentMetadata): string {
  return [accessSetTerm(accessTags), ...Object.entries(metadata).map(([field, value]) => metadataTerm(field, value))].join(' ');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}
