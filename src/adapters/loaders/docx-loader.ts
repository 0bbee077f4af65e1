import type { DocumentInput, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { normaliseText } from './document-text.js';
import { unreadableDocument } from './unreadable-document.js';

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Word (.docx) via mammoth's raw text: one paragraph per block, so each table cell is its own
 * paragraph. Old binary .doc files are not zip archives and fail as unreadable.
 */
export class DocxLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = [docxType];

  async load(input: DocumentInput): Promise<LoadedDocument> {
    let raw: string;
    try {
      const bytes = input.bytes;
      // Loaded with the first .docx (~16 MB resident), not in every process at start-up.
      const { default: mammoth } = await import('mammoth');
      raw = (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
    } catch (error) {
      throw unreadableDocument(
        input,
        docxType,
        'the file is not a readable Word .docx document (corrupt, truncated, or another format such as an old .doc); open and save it again as .docx, or submit it as PDF or text',
        error,
      );
    }
    const text = normaliseText(raw);
    if (text === '') throw unreadableDocument(input, docxType, 'the Word document contains no text; check that the right file was submitted');
    return { text, mediaType: docxType };
  }
}
