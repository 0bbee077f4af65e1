import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib';
import { deflatedZeros, docxBomb } from '../../../test/support/zip-archive.js';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import { IsolatedDocumentReader, type IsolatedDocumentReaderOptions } from './isolated-document-reader.js';

const limits = { maxBytes: 10 * 1024 * 1024, maxChars: 400_000, maxPages: 10_000 };
const readers: IsolatedDocumentReader[] = [];
const reader = (options: Partial<IsolatedDocumentReaderOptions> = {}) => {
  const created = new IsolatedDocumentReader({ processes: 1, timeoutMs: 60_000, maxMemoryMb: 512, ...options });
  readers.push(created);
  return created;
};
after(() => Promise.all(readers.map((created) => created.close())));

async function pdfWithPages(pages: number, linesPerPage: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number++) {
    const page = pdf.addPage([600, 800]);
    for (let line = 0; line < linesPerPage; line++) page.drawText(`Page ${number}, line ${line}: the quick brown fox`, { x: 20, y: 780 - line * 18, size: 10, font });
  }
  return pdf.save({ useObjectStreams: false });
}

/** A one-page PDF whose content stream is 1 KB of Flate per MiB it inflates to, which pdfjs holds in one buffer. */
async function pdfStreamBomb(mebibytes: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([200, 200]);
  // zlib's two header bytes around raw deflate; pdfjs does not check the trailing checksum.
  const body = Buffer.concat([Buffer.from([0x78, 0x9c]), deflatedZeros(mebibytes), Buffer.alloc(4)]);
  page.node.set(PDFName.of('Contents'), pdf.context.register(PDFRawStream.of(pdf.context.obj({ Filter: 'FlateDecode', Length: body.length }), body)));
  return pdf.save();
}

// Thousands of pages: seconds of reading on any machine, far past the 2 s limit the tests set.
let slowPdf: Promise<Uint8Array> | undefined;
const slowPdfOnce = () => (slowPdf ??= pdfWithPages(3_000, 1));

const docxOf = (paragraphs: readonly string[]) => Packer.toBuffer(new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph(text)) }] }));

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<BreakwaterError> {
  let caught: BreakwaterError | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(BreakwaterError.isInstance(error), `expected a BreakwaterError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    caught = error;
    return true;
  });
  return caught!;
}

describe('IsolatedDocumentReader', () => {
  test('reads PDF, DOCX and text in a reader process, and a loader error arrives with its code, message and details', async () => {
    const documents = reader();
    const pdf = await documents.load({ name: 'report.pdf', bytes: await pdfWithPages(2, 1) }, limits);
    assert.deepEqual(pdf, { text: 'Page 1, line 0: the quick brown fox\n\nPage 2, line 0: the quick brown fox', mediaType: 'application/pdf', pages: 2 });
    assert.equal((await documents.load({ name: 'r.docx', bytes: await docxOf(['Rechnung 8841', 'Summe 1.428,00 EUR']) }, limits)).text, 'Rechnung 8841\n\nSumme 1.428,00 EUR');
    assert.equal((await documents.load({ name: 'notes.md', bytes: new TextEncoder().encode('# Notes') }, limits, ['text/*'])).mediaType, 'text/markdown');
    const error = await rejectsWith(
      documents.load({ name: 'notes.md', bytes: new TextEncoder().encode('# Notes') }, limits, ['application/pdf']),
      'DOCUMENT_UNREADABLE',
      /^notes\.md: this pipeline does not accept text\/markdown/,
    );
    assert.equal(error.retryable, false);
    assert.deepEqual(error.details, { name: 'notes.md', mediaType: 'text/markdown', bytes: 7 });
    assert.equal(documents.processesStarted, 1, 'one reader read all four');
  });

  test('concurrent documents share at most `processes` readers, which are reused', async () => {
    const documents = reader({ processes: 2 });
    const bytes = await docxOf(['Shared']);
    const loaded = await Promise.all(Array.from({ length: 6 }, (_, index) => documents.load({ name: `${index}.docx`, bytes }, limits)));
    assert.deepEqual(new Set(loaded.map((loadedDocument) => loadedDocument.text)), new Set(['Shared']));
    assert.equal(documents.processesStarted, 2);
  });

  test('a document past timeoutMs has its reader killed and fails as too large, naming the setting; the next one gets a new reader', async () => {
    const documents = reader({ timeoutMs: 2_000 });
    await documents.load({ name: 'warm.pdf', bytes: await pdfWithPages(1, 1) }, limits);
    const slow = await slowPdfOnce();
    const started = performance.now();
    const error = await rejectsWith(
      documents.load({ name: 'slow.pdf', bytes: slow }, limits),
      'DOCUMENT_TOO_LARGE',
      /^slow\.pdf: reading the document took longer than 2,000 ms \(jobs\.documents\.timeoutMs\) and was stopped/,
    );
    assert.ok(performance.now() - started < 6_000, 'stopped at the limit, not after reading 3,000 pages');
    assert.equal(error.retryable, false);
    assert.equal((await documents.load({ name: 'after.pdf', bytes: await pdfWithPages(1, 1) }, limits)).pages, 1);
    assert.equal(documents.processesStarted, 2);
  });

  test('a document whose JavaScript heap passes maxMemoryMb kills only its reader and fails as too large, naming the setting', async () => {
    // Regression: in a worker thread, this allocation shape (one array pushed past the heap limit) aborted the whole process (nodejs/node#47224).
    const documents = reader({ maxMemoryMb: 160 });
    // 10 million short lines: the normaliser holds a string per line, far past 160 MB.
    const lines = Buffer.alloc(30_000_000, 'ab\n');
    await rejectsWith(
      documents.load({ name: 'lines.txt', bytes: lines }, { maxBytes: 50_000_000, maxChars: 50_000_000 }),
      'DOCUMENT_TOO_LARGE',
      /^lines\.txt: reading the document needed more than 160 MB of memory \(jobs\.documents\.maxMemoryMb\)/,
    );
    assert.equal((await documents.load({ name: 'ok.txt', bytes: Buffer.from('fine') }, limits)).text, 'fine');
  });

  test('a PDF whose content stream inflates to a gigabyte is killed at maxMemoryMb, buffers included', async () => {
    const documents = reader({ maxMemoryMb: 256 });
    const bomb = await pdfStreamBomb(1024);
    assert.ok(bomb.length < 1_200_000);
    await rejectsWith(
      documents.load({ name: 'bomb.pdf', bytes: bomb }, limits),
      'DOCUMENT_TOO_LARGE',
      /^bomb\.pdf: reading the document needed more than 256 MB of memory \(jobs\.documents\.maxMemoryMb\)/,
    );
  });

  test('a .docx zip bomb is refused within a second, and the process memory stays bounded', async () => {
    const documents = reader();
    await documents.load({ name: 'warm.docx', bytes: await docxOf(['warm']) }, limits);
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    try {
      const started = performance.now();
      await rejectsWith(
        documents.load({ name: 'bomb.docx', bytes: docxBomb({ inflatedMiB: 1024 }) }, limits),
        'DOCUMENT_TOO_LARGE',
        /^bomb\.docx: the Word document unpacks to more than/,
      );
      await rejectsWith(
        documents.load({ name: 'liar.docx', bytes: docxBomb({ inflatedMiB: 1024, declaredSize: 4096 }) }, limits),
        'DOCUMENT_UNREADABLE',
        /^liar\.docx: .*inflates to more than the 4,096 bytes it declares/,
      );
      assert.ok(performance.now() - started < 1_000, `took ${Math.round(performance.now() - started)} ms`);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    assert.ok(peak - baseline < 100 * 1024 * 1024, `resident memory grew by ${Math.round((peak - baseline) / 1024 / 1024)} MB`);
  });

  test('the event loop stays responsive while a big PDF and a big DOCX load', async () => {
    const pdf = await pdfWithPages(300, 40);
    const docx = await docxOf(Array.from({ length: 5_000 }, (_, index) => `Paragraph ${index}: the quick brown fox jumps over the lazy dog.`));
    const documents = reader();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const roomy = { ...limits, maxChars: 2_000_000 };
    const [fromPdf, fromDocx] = await Promise.all([documents.load({ name: 'big.pdf', bytes: pdf }, roomy), documents.load({ name: 'big.docx', bytes: docx }, roomy)]);
    delay.disable();
    assert.equal(fromPdf.pages, 300);
    assert.ok(fromDocx.text.length > 200_000);
    // Read in this process, the same PDF holds the loop for over 300 ms at a time (measured).
    assert.ok(delay.max / 1e6 < 200, `the event loop was held for ${Math.round(delay.max / 1e6)} ms`);
  });

  test('close fails the document being read and those waiting with a retryable error', async () => {
    const documents = reader();
    const slow = await slowPdfOnce();
    const reading = documents.load({ name: 'slow.pdf', bytes: slow }, limits);
    const waiting = documents.load({ name: 'next.pdf', bytes: slow }, limits);
    const [settled] = await Promise.all([Promise.allSettled([reading, waiting]), documents.close()]);
    for (const result of settled) {
      assert.ok(result.status === 'rejected' && BreakwaterError.isInstance(result.reason));
      assert.equal(result.reason.code, 'INTERNAL_ERROR');
      assert.match(result.reason.message, /document reader is shutting down/);
      assert.equal(result.reason.retryable, true);
    }
    await rejectsWith(documents.load({ name: 'late.pdf', bytes: slow }, limits), 'INTERNAL_ERROR', /shutting down/);
  });
});
