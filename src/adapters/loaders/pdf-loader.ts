import { createRequire } from 'node:module';
import path from 'node:path';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { normaliseText } from './document-text.js';
import { unreadableDocument } from './unreadable-document.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

const pdfType = 'application/pdf';

// Imported on first use: pdfjs takes a few hundred milliseconds to load, which a gateway
// that never reads a PDF should not pay at start-up.
let pdfjsModule: Promise<Pdfjs> | undefined;
const loadPdfjs = (): Promise<Pdfjs> => (pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

// pdfjs reads these from disk in Node; without them it warns on every standard (non-embedded)
// font and cannot map the predefined CJK encodings to Unicode.
const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const standardFontDataUrl = path.join(pdfjsRoot, 'standard_fonts') + path.sep;
const cMapUrl = path.join(pdfjsRoot, 'cmaps') + path.sep;

/**
 * PDF via pdfjs's text layer, page by page. Runs pdfjs's "fake worker" in this thread: no
 * worker file, no network, no canvas. A scan has no text layer and fails as unreadable.
 */
export class PdfLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = [pdfType];

  async load(input: DocumentInput): Promise<LoadedDocument> {
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
      const pages: string[] = [];
      for (let number = 1; number <= pdf.numPages; number++) {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        pages.push(joinItems(content.items.filter((item): item is TextItem => 'str' in item)));
        page.cleanup();
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

function explain(input: DocumentInput, error: unknown): BreakwaterError {
  if (BreakwaterError.isInstance(error)) return error;
  if (error instanceof Error && error.name === 'PasswordException') {
    return unreadableDocument(input, pdfType, 'the PDF is password-protected; remove the password (print or save an unprotected copy) and submit it again', error);
  }
  // InvalidPDFException, FormatError and the rest: pdfjs's errors here all mean a damaged file.
  return unreadableDocument(input, pdfType, 'the file is not a readable PDF (corrupt or truncated); download or export it again and submit it again', error);
}
