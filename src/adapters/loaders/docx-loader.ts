import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLimits, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { normaliseText } from './document-text.js';
import { documentName, unreadableDocument } from './unreadable-document.js';
import { checkZipInflation } from './zip-inflation-check.js';

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const count = (value: number) => value.toLocaleString('en-US');

/**
 * Bytes a .docx may unpack to. Word's XML spends tens of bytes of markup on each character of
 * text (runs, properties, revision ids), so 100 per allowed character is generous; the file's
 * own size again leaves room for pictures, which are stored already compressed. The absolute
 * cap keeps a large `maxChars` from letting one archive inflate without bound.
 */
export const maxInflatedBytesPerChar = 100;
export const maxInflatedBytes = 256 * 1024 * 1024;
export const inflatedLimit = (limits: DocumentLimits): number => Math.min(maxInflatedBytes, limits.maxBytes + maxInflatedBytesPerChar * limits.maxChars);

/**
 * Word (.docx) via mammoth's raw text: one paragraph per block, so each table cell is its own
 * paragraph. Old binary .doc files are not zip archives and fail as unreadable. The archive
 * is checked before mammoth sees it, because jszip inflates every entry it reads whole.
 */
export class DocxLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = [docxType];

  async load(input: DocumentInput, limits: DocumentLimits): Promise<LoadedDocument> {
    const limit = inflatedLimit(limits);
    const check = checkZipInflation(input.bytes, limit);
    if (!check.ok && check.error.kind === 'too-large') {
      throw new BreakwaterError(
        'DOCUMENT_TOO_LARGE',
        `${documentName(input)}: the Word document unpacks to more than ${count(limit)} bytes (${check.error.reason}), which is either a zip bomb or far more text than jobs.documents.maxChars allows; split the document, or raise jobs.documents.maxChars (a .docx may unpack to ${maxInflatedBytesPerChar} bytes per character plus jobs.documents.maxBytes, at most ${count(maxInflatedBytes)}).`,
        { details: { name: input.name ?? null, mediaType: docxType, entry: check.error.entry ?? null, declaredBytes: check.error.declaredBytes ?? null, maxInflatedBytes: limit } },
      );
    }
    if (!check.ok) throw notWord(input, check.error.reason);
    let raw: string;
    try {
      const bytes = input.bytes;
      // Loaded with the first .docx (~16 MB resident), not in every process at start-up.
      const { default: mammoth } = await import('mammoth');
      raw = (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
    } catch (error) {
      throw notWord(input, undefined, error);
    }
    const text = normaliseText(raw);
    if (text === '') throw unreadableDocument(input, docxType, 'the Word document contains no text; check that the right file was submitted');
    return { text, mediaType: docxType };
  }
}

function notWord(input: DocumentInput, reason: string | undefined, cause?: unknown): BreakwaterError {
  return unreadableDocument(
    input,
    docxType,
    `the file is not a readable Word .docx document (${reason ?? 'corrupt, truncated, or another format such as an old .doc'}); open and save it again as .docx, or submit it as PDF or text`,
    cause,
  );
}
