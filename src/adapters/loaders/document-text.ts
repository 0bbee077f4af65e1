import type { DocumentInput } from '../../core/ports/document-loader.js';
import { unreadableDocument } from './unreadable-document.js';

/**
 * Decodes UTF-8 strictly: a wrong encoding fails loudly instead of turning into U+FFFD
 * characters that a model would then copy into extracted fields. A leading BOM is dropped.
 */
export function decodeUtf8(input: DocumentInput, mediaType: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input.bytes);
  } catch (error) {
    const bytes = input.bytes;
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const found = utf16 ? 'the text is UTF-16' : 'the text is not valid UTF-8 (Latin-1 or Windows-1252?)';
    throw unreadableDocument(input, mediaType, `${found}; save the file as UTF-8 and submit it again`, error);
  }
}

/**
 * The normal form every loader returns: LF line ends, no NUL characters, no trailing spaces,
 * at most one blank line in a row, no leading or trailing blank lines. Works line by line
 * rather than with a `[ \t]+$` regex, which backtracks quadratically on long runs of spaces.
 */
export function normaliseText(text: string): string {
  const kept: string[] = [];
  let blank = true;
  for (const raw of text.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').split('\n')) {
    const line = raw.trimEnd();
    if (line === '') {
      if (!blank) kept.push('');
      blank = true;
    } else {
      kept.push(line);
      blank = false;
    }
  }
  if (kept.at(-1) === '') kept.pop();
  return kept.join('\n');
}
