import { createRequire } from 'node:module';
import path from 'node:path';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLimits, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { normaliseText } from './document-text.js';
import { documentName, unreadableDocument } from './unreadable-document.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const pdfType = 'application/pdf';
const count = (value: number) => value.toLocaleString('en-US');

// Imported on first use: pdfjs takes a few hundred milliseconds to load, which a gateway
// that never reads a PDF should not pay at start-up.
let pdfjsModule: Promise<Pdfjs> | undefined;
const loadPdfjs = (): Promise<Pdfjs> => (pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

// pdfjs reads these from disk in Node; without them it warns on every standard (non-embedded)
// font and cannot map the predefined CJK encodings to Unicode.
const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = path.join(pdfjsRoot, 'standard_fonts') + path.sep;
const cMapUrl = path.join(pdfjsRoot, 'cmaps') + path.sep;

// pdfjs imports its "fake worker" on the first document; a variable keeps tsc from asking for its (absent) types.
const pdfjsWorker = 'pdfjs-dist/legacy/build/pdf.worker.mjs';

/** Loads pdfjs and its worker half ahead of the first PDF, so a time limit on reading one measures the document alone. */
export const preloadPdfjs = (): Promise<unknown> => Promise.all([loadPdfjs(), import(pdfjsWorker)]);

/**
 * PDF via pdfjs's text layer, page by page. Runs pdfjs's "fake worker" in this thread: no
 * worker file, no network, no canvas. A scan has no text layer and fails as unreadable.
 * Stops at the page limit before reading a page, and at the character limit as soon as the
 * pages read so far pass it, so a long PDF costs no more than the limits allow.
 */
export class PdfLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = [pdfType];

  async load(input: DocumentInput, limits: DocumentLimits): Promise<LoadedDocument> {
    const pdfjs = await loadPdfjs();
    const task = pdfjs.getDocument({
      // A copy: pdfjs transfers (detaches) the buffer it is given, and refuses Node Buffers.
      data: new Uint8Array(input.bytes),
      verbosity: pdfjs.VerbosityLevel.ERRORS,
      standardFontDataUrl,
      cMapUrl,
      cMapPacked: true,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      useWorkerFetch: false,
    });
    try {
      const pdf = await task.promise;
      if (limits.maxPages !== undefined && pdf.numPages > limits.maxPages) throw tooManyPages(input, pdf.numPages, limits.maxPages);
      const pages: string[] = [];
      // Each page normalised alone is never longer than its part of the whole, so their sum passing maxChars proves the whole does.
      let chars = 0;
      for (let number = 1; number <= pdf.numPages; number++) {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        const pageText = normaliseText(joinItems(content.items.filter((item): item is TextItem => 'str' in item)));
        page.cleanup();
        pages.push(pageText);
        chars += pageText.length;
        if (chars > limits.maxChars) throw tooMuchText(input, number, pdf.numPages, limits.maxChars);
      }
      const text = normaliseText(pages.join('\n\n'));
      if (text === '') {
        throw unreadableDocument(input, pdfType, 'the PDF has no text layer (a scanned image?); run OCR first or submit the text');
      }
      return { text, mediaType: pdfType, pages: pdf.numPages };
    } catch (error) {
      throw explain(input, error);
    } finally {
      await task.destroy();
    }
  }
}

/**
 * Joins text items into lines. pdfjs works out line ends itself from the glyph positions
 * (across fonts, sizes and rotation) and marks them with `hasEOL`, so no second guess by
 * y-position is needed here.
 */
function joinItems(items: readonly TextItem[]): string {
  return items.map((item) => (item.hasEOL ? `${item.str}\n` : item.str)).join('');
}

function tooManyPages(input: DocumentInput, pages: number, maxPages: number): BreakwaterError {
  return new BreakwaterError(
    'DOCUMENT_TOO_LARGE',
    `${documentName(input)}: the PDF has ${count(pages)} pages, over the limit of ${count(maxPages)} (jobs.documents.maxPages); split it or raise the limit.`,
    { details: { name: input.name ?? null, mediaType: pdfType, pages, maxPages } },
  );
}

function tooMuchText(input: DocumentInput, page: number, pages: number, maxChars: number): BreakwaterError {
  return new BreakwaterError(
    'DOCUMENT_TOO_LARGE',
    `${documentName(input)}: the extracted text passed the limit of ${count(maxChars)} characters (jobs.documents.maxChars) by page ${count(page)} of ${count(pages)}; split the document or raise the limit.`,
    { details: { name: input.name ?? null, mediaType: pdfType, pagesRead: page, pages, maxChars } },
  );
}

function explain(input: DocumentInput, error: unknown): BreakwaterError {
  if (BreakwaterError.isInstance(error)) return error;
  if (error instanceof Error && error.name === 'PasswordException') {
    return unreadableDocument(input, pdfType, 'the PDF is password-protected; remove the password (print or save an unprotected copy) and submit it again', error);
  }
  // InvalidPDFException, FormatError and the rest: pdfjs's errors here all mean a damaged file.
  return unreadableDocument(input, pdfType, 'the file is not a readable PDF (corrupt or truncated); download or export it again and submit it again', error);
}
