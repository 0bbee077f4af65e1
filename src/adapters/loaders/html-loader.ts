import { compile } from 'html-to-text';
import type { DocumentInput, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { decodeUtf8, normaliseText } from './document-text.js';

const heading = (selector: string) => ({ selector, format: 'heading', options: { leadingLineBreaks: 2, trailingLineBreaks: 1, uppercase: false } });
// Block elements html-to-text leaves inline by default, which glues `<dt>Ship date</dt><dd>March 9</dd>` into one word.
const block = (selector: string) => ({ selector, format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } });

/**
 * Tables become aligned columns so a line item stays on one line; link URLs, images, scripts
 * and styles are dropped because a model extracting fields only needs the visible text.
 * No word wrapping: a wrapped line would split values across lines.
 */
const toText = compile({
  wordwrap: false,
  // html-to-text truncates longer input with only a console warning; the registry's byte limit bounds it instead.
  limits: { maxInputLength: Number.POSITIVE_INFINITY },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false, maxColumnWidth: 80 } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map(heading),
    ...['dl', 'dt', 'dd', 'address', 'figure', 'figcaption', 'details', 'summary', 'fieldset', 'legend'].map(block),
  ],
});

/** HTML (UTF-8) as the text a reader would see. */
export class HtmlLoader implements DocumentLoader {
  readonly mediaTypes: readonly string[] = ['text/html'];

  async load(input: DocumentInput): Promise<LoadedDocument> {
    return { text: normaliseText(toText(decodeUtf8(input, 'text/html'))), mediaType: 'text/html' };
  }
}
