import type { VirtualKey } from '../ports/store.js';

/** The key tag that lists the access tags a key holds, comma-separated: `tags: { access: "hr,finance" }`. */
export const accessTagKey = 'access';

/** The access tags a key holds (trimmed, empty entries dropped). A key without any sees only untagged documents. */
export function keyAccessTags(key: VirtualKey): string[] {
  const listed = key.tags[accessTagKey];
  if (!listed) return [];
  return [
    ...new Set(
      listed
        .split(',')
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
    ),
  ];
}
