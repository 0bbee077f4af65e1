import type { DocumentInput, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { decodeUtf8, normaliseText } from './document-text.js';

const mediaTypes = ['text/plain', 'text/markdown', 'text/csv'] as const;

/** Plain text, Markdown and CSV: strict UTF-8, then the common normal form. Markup is kept as is. */
export class TextLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = mediaTypes;

  async load(input: DocumentInput): Promise<LoadedDocument> {
    const mediaType = input.mediaType !== undefined && this.mediaTypes.includes(input.mediaType) ? input.mediaType : 'text/plain';
    return { text: normaliseText(decodeUtf8(input, mediaType)), mediaType };
  }
}
