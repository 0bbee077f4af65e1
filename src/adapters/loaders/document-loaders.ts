import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLimits, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { detectMediaType, knownExtensions } from './detect-media-type.js';
import { DocxLoader } from './docx-loader.js';
import { HtmlLoader } from './html-loader.js';
import { PdfLoader } from './pdf-loader.js';
import { TextLoader } from './text-loader.js';
import { documentName, unreadableDocument } from './unreadable-document.js';

const count = (value: number) => value.toLocaleString('en-US');

/**
 * Picks the loader for a document by media type and enforces the limits around it: the byte
 * limit before any parsing, the character limit on the text that comes out. Nothing is cut
 * silently; a document over a limit fails with `DOCUMENT_TOO_LARGE`.
 */
export class DocumentLoaders {
  private readonly byType = new Map<string, DocumentLoader>();

  constructor(loaders: readonly DocumentLoader[]) {
    for (const loader of loaders) for (const type of loader.mediaTypes) if (!this.byType.has(type)) this.byType.set(type, loader);
  }

  /** Media types some loader reads. */
  get mediaTypes(): readonly string[] {
    return [...this.byType.keys()];
  }

  /**
   * @param accepts media types the pipeline takes, exact (`application/pdf`) or a whole
   *   family (`text/*`); omitted means any type a loader reads.
   */
  async load(input: DocumentInput, limits: DocumentLimits, accepts?: readonly string[]): Promise<LoadedDocument> {
    const name = documentName(input);
    if (input.bytes.length > limits.maxBytes) {
      throw new BreakwaterError(
        'DOCUMENT_TOO_LARGE',
        `${name}: the document is ${count(input.bytes.length)} bytes, over the limit of ${count(limits.maxBytes)} (jobs.documents.maxBytes); split it or raise the limit.`,
        { details: { name: input.name ?? null, bytes: input.bytes.length, maxBytes: limits.maxBytes } },
      );
    }
    const mediaType = detectMediaType(input);
    if (mediaType === undefined) {
      throw unreadableDocument(
        input,
        'application/octet-stream',
        `cannot tell what kind of document this is (no media type, no known extension, and the bytes are not PDF, DOCX or UTF-8 text); declare its media type or name it with one of ${knownExtensions.join(' ')}`,
      );
    }
    if (accepts !== undefined && !accepts.some((pattern) => matches(pattern, mediaType))) {
      throw unreadableDocument(
        input,
        mediaType,
        `this pipeline does not accept ${mediaType} documents (it accepts ${accepts.join(', ')}); convert the document to one of those or add the type to the pipeline's accepts`,
      );
    }
    const loader = this.byType.get(mediaType);
    if (loader === undefined) {
      throw unreadableDocument(input, mediaType, `no loader reads ${mediaType} documents (readable types: ${this.mediaTypes.join(', ')}); convert the document to one of those`);
    }
    const loaded = await loader.load({ ...input, mediaType }, limits);
    if (loaded.text.length > limits.maxChars) {
      throw new BreakwaterError(
        'DOCUMENT_TOO_LARGE',
        `${name}: the extracted text is ${count(loaded.text.length)} characters, over the limit of ${count(limits.maxChars)} (jobs.documents.maxChars); split the document or raise the limit.`,
        { details: { name: input.name ?? null, mediaType: loaded.mediaType, chars: loaded.text.length, maxChars: limits.maxChars } },
      );
    }
    return loaded;
  }
}

function matches(pattern: string, mediaType: string): boolean {
  const normalised = pattern.trim().toLowerCase();
  if (normalised === '*/*') return true;
  if (normalised.endsWith('/*')) return mediaType.startsWith(normalised.slice(0, -1));
  return normalised === mediaType;
}

/** The registry with every built-in loader: text, Markdown, CSV, HTML, PDF and DOCX. */
export function createDefaultLoaders(): DocumentLoaders {
  return new DocumentLoaders([new TextLoader(), new HtmlLoader(), new PdfLoader(), new DocxLoader()]);
}
