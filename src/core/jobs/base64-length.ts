/**
 * The decoded size of base64 text with line breaks, counted without decoding it: decoding
 * 16 MB only to measure it held the event loop ~50 ms, and the reader decodes it again anyway.
 */
export function base64Length(data: string): number {
  let end = data.length;
  while (end > 0 && /\s/.test(data[end - 1]!)) end--;
  let breaks = 0;
  for (const character of ['\n', '\r']) {
    for (let at = data.indexOf(character); at !== -1 && at < end; at = data.indexOf(character, at + 1)) breaks++;
  }
  let padding = 0;
  while (padding < 2 && end - padding > 0 && data[end - padding - 1] === '=') padding++;
  return Math.max(0, Math.floor(((end - breaks) * 3) / 4) - padding);
}
