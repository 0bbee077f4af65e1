/**
 * Turns an uploaded document into text a model can read. Adapters wrap well-kept libraries
 * (PDF text layer, DOCX, HTML); core picks one by media type and never parses formats itself.
 */
export interface LoadedDocument {
  /** The document's text, normalised (no NULs, collapsed runs of blank lines). */
  text: string;
  /** Media type the loader treated the input as (e.g. `application/pdf`). */
  mediaType: string;
  /** Pages for paginated formats (PDF), otherwise undefined. */
  pages?: number;
}

export interface DocumentInput {
  /** File name as submitted, used to guess the media type when none is given. */
  name?: string;
  /** Declared media type; when absent or `application/octet-stream`, guessed from the name and the bytes. */
  mediaType?: string;
  bytes: Uint8Array;
}

export interface DocumentLoader {
  /** Media types this loader reads, e.g. ['application/pdf']. */
  readonly mediaTypes: readonly string[];
  /**
   * Throws BreakwaterError `DOCUMENT_UNREADABLE` (corrupt, encrypted, no text layer) with a
   * message that names the file and what is wrong.
   */
  load(input: DocumentInput, limits: DocumentLimits): Promise<LoadedDocument>;
}

export interface DocumentLimits {
  /** Largest input accepted, bytes. */
  maxBytes: number;
  /** Longest text kept, characters; longer text fails with DOCUMENT_TOO_LARGE rather than being silently cut. */
  maxChars: number;
  /** Most pages read from a paginated document (PDF); more fail with DOCUMENT_TOO_LARGE before any page is read. */
  maxPages?: number;
}

/** Picks the loader for a document (declared type, name, magic bytes) and enforces limits and `accepts`. */
export interface DocumentReader {
  load(input: DocumentInput, limits: DocumentLimits, accepts?: readonly string[]): Promise<LoadedDocument>;
}
