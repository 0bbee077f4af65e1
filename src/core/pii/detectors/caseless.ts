/**
 * A regex source matching `source` in any letter case. Needed because the `i` flag would also
 * make `\p{Lu}` match lower-case letters, and names are found by their capitals.
 */
export function caseless(source: string): string {
  return source.replace(/\p{L}/gu, (letter) => {
    const lower = letter.toLowerCase();
    const upper = letter.toUpperCase();
    return lower === upper || lower.length !== 1 || upper.length !== 1 ? letter : `[${lower}${upper}]`;
  });
}
