import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { PDFDocument, PDFHexString, StandardFonts } from 'pdf-lib';
import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput, DocumentLoader, LoadedDocument } from '../../core/ports/document-loader.js';
import { docxBomb } from '../../../test/support/zip-archive.js';
import { createDefaultLoaders, DocumentLoaders } from './document-loaders.js';

const limits = { maxBytes: 1_000_000, maxChars: 100_000 };
const loaders = createDefaultLoaders();
const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const utf8 = (text: string) => new TextEncoder().encode(text);

async function twoPagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const first = pdf.addPage([400, 400]);
  first.drawText('Invoice INV-42', { x: 40, y: 350, size: 14, font });
  first.drawText('Issued 2026-03-01', { x: 40, y: 320, size: 10, font });
  pdf.addPage([400, 400]).drawText('Total due: 99.50 EUR', { x: 40, y: 350, size: 12, font });
  return pdf.save();
}

async function manyPagePdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pages; number++) pdf.addPage([400, 400]).drawText(`Page ${number} of the long report`, { x: 40, y: 350, size: 12, font });
  return pdf.save();
}

async function rejectsWith(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(BreakwaterError.isInstance(error), `expected a BreakwaterError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

/** A loader that records whether it was called, to prove checks happen before parsing. */
class RecordingLoader implements DocumentLoader {
  readonly mediaTypes = ['text/plain'];
  calls = 0;
  constructor(private readonly text: string) {}
  async load(input: DocumentInput): Promise<LoadedDocument> {
    this.calls++;
    return { text: this.text, mediaType: input.mediaType ?? 'text/plain' };
  }
}

test('a PDF yields the text of every page, line by line, and its page count', async () => {
  const loaded = await loaders.load({ name: 'inv-42.pdf', bytes: await twoPagePdf() }, limits);
  assert.equal(loaded.mediaType, 'application/pdf');
  assert.equal(loaded.pages, 2);
  assert.match(loaded.text, /Invoice INV-42\nIssued 2026-03-01/);
  assert.match(loaded.text, /Total due: 99\.50 EUR/);
});

test('a DOCX yields its paragraphs and table cells', async () => {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const document = new Document({
    sections: [
      { children: [new Paragraph('Rechnung 8841'), new Table({ rows: [new TableRow({ children: [cell('Beratung'), cell('1.200,00')] })] }), new Paragraph('Summe 1.428,00 EUR')] },
    ],
  });
  const loaded = await loaders.load({ name: 'r.docx', bytes: await Packer.toBuffer(document) }, limits);
  assert.equal(loaded.mediaType, docxType);
  assert.equal(loaded.pages, undefined);
  assert.equal(loaded.text, 'Rechnung 8841\n\nBeratung\n\n1.200,00\n\nSumme 1.428,00 EUR');
});

test('HTML keeps a table row on one line and drops scripts, styles, images and link URLs', async () => {
  const html = `<html><head><style>td { color: red }</style></head><body><script>var leaked = "SCRIPT";</script>
    <h1>Invoice INV-5521</h1><p>From <a href="https://blue-harbor.example/track?id=1">Blue Harbor</a> <img src="logo.png" alt="LOGO"></p>
    <dl><dt>Ship date</dt><dd>March 9, 2026</dd></dl>
    <table><tr><th>Item</th><th>Qty</th><th>Amount</th></tr><tr><td>Dock rental</td><td>3</td><td>$450.00</td></tr></table></body></html>`;
  const loaded = await loaders.load({ name: 'inv.html', bytes: utf8(html) }, limits);
  assert.equal(loaded.mediaType, 'text/html');
  assert.match(loaded.text, /^Invoice INV-5521$/m);
  assert.match(loaded.text, /^Item +Qty +Amount$/m);
  assert.match(loaded.text, /^Dock rental +3 +\$450\.00$/m);
  assert.match(loaded.text, /From Blue Harbor/);
  assert.match(loaded.text, /^Ship date\nMarch 9, 2026$/m);
  for (const noise of ['SCRIPT', 'color', 'LOGO', 'logo.png', 'https://']) assert.ok(!loaded.text.includes(noise), `found ${noise}`);
});

test('text loses its BOM, CRs, NULs, trailing spaces and runs of blank lines', async () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Line one  \r\nLine\u0000 two\r\n\r\n\r\n\r\n\r\nLast\r\n\r\n')]);
  const loaded = await loaders.load({ name: 'notes.txt', bytes }, limits);
  assert.equal(loaded.text, 'Line one\nLine two\n\nLast');
  assert.equal(loaded.mediaType, 'text/plain');
});

test('Markdown and CSV keep their media type', async () => {
  assert.equal((await loaders.load({ name: 'a.md', bytes: utf8('# A') }, limits)).mediaType, 'text/markdown');
  assert.equal((await loaders.load({ name: 'a.bin', mediaType: 'text/csv; charset=utf-8', bytes: utf8('a,b') }, limits)).mediaType, 'text/csv');
});

test('a truncated PDF is unreadable, and pdfjs prints no warnings about it', async (t) => {
  const bytes = await twoPagePdf();
  const log = t.mock.method(console, 'log', () => {});
  const warn = t.mock.method(console, 'warn', () => {});
  await rejectsWith(
    loaders.load({ name: 'cut.pdf', bytes: bytes.slice(0, Math.floor(bytes.length * 0.95)) }, limits),
    'DOCUMENT_UNREADABLE',
    /^cut\.pdf: .*not a readable PDF \(corrupt or truncated\)/,
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(log.mock.callCount() + warn.mock.callCount(), 0);
});

test('a password-protected PDF is unreadable and says so', async () => {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]).drawText('secret');
  // Random /O and /U entries: no password, empty or not, opens it, so pdfjs asks for one.
  const encrypt = pdf.context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    Length: 40,
    P: -4,
    O: PDFHexString.of(randomBytes(32).toString('hex')),
    U: PDFHexString.of(randomBytes(32).toString('hex')),
  });
  pdf.context.trailerInfo.Encrypt = pdf.context.register(encrypt);
  const id = PDFHexString.of(randomBytes(16).toString('hex'));
  pdf.context.trailerInfo.ID = pdf.context.obj([id, id]);
  const bytes = await pdf.save({ useObjectStreams: false });
  await rejectsWith(loaders.load({ name: 'locked.pdf', bytes }, limits), 'DOCUMENT_UNREADABLE', /^locked\.pdf: the PDF is password-protected/);
});

test('a PDF with no text layer is unreadable and suggests OCR', async () => {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]).drawRectangle({ x: 10, y: 10, width: 80, height: 40 });
  await rejectsWith(loaders.load({ name: 'scan.pdf', bytes: await pdf.save() }, limits), 'DOCUMENT_UNREADABLE', /^scan\.pdf: the PDF has no text layer.*run OCR/);
});

test('random bytes named .docx are unreadable', async () => {
  await rejectsWith(
    loaders.load({ name: 'contract.docx', bytes: randomBytes(512) }, limits),
    'DOCUMENT_UNREADABLE',
    /^contract\.docx: the file is not a readable Word \.docx document/,
  );
});

test('invalid UTF-8 text is unreadable rather than decoded with replacement characters', async () => {
  const latin1 = new Uint8Array([0x52, 0xe9, 0x73, 0x75, 0x6d, 0xe9]); // "Résumé" in Latin-1
  await rejectsWith(loaders.load({ name: 'cv.txt', bytes: latin1 }, limits), 'DOCUMENT_UNREADABLE', /^cv\.txt: the text is not valid UTF-8.*save the file as UTF-8/);
  await rejectsWith(loaders.load({ name: 'page.html', bytes: latin1 }, limits), 'DOCUMENT_UNREADABLE', /^page\.html: the text is not valid UTF-8/);
});

test('input over maxBytes is too large before any loader parses it', async () => {
  const loader = new RecordingLoader('x');
  const registry = new DocumentLoaders([loader]);
  await rejectsWith(
    registry.load({ name: 'big.txt', bytes: new Uint8Array(11) }, { maxBytes: 10, maxChars: 100 }),
    'DOCUMENT_TOO_LARGE',
    /^big\.txt: the document is 11 bytes, over the limit of 10/,
  );
  assert.equal(loader.calls, 0);
  await registry.load({ name: 'ok.txt', bytes: new Uint8Array(10) }, { maxBytes: 10, maxChars: 100 });
  assert.equal(loader.calls, 1);
});

test('text longer than maxChars is too large, not cut', async () => {
  const registry = new DocumentLoaders([new RecordingLoader('y'.repeat(101))]);
  await rejectsWith(
    registry.load({ name: 'long.txt', bytes: utf8('z') }, { maxBytes: 10, maxChars: 100 }),
    'DOCUMENT_TOO_LARGE',
    /^long\.txt: the extracted text is 101 characters, over the limit of 100/,
  );
  assert.equal((await loaders.load({ name: 'fits.txt', bytes: utf8('y'.repeat(100)) }, { maxBytes: 1000, maxChars: 100 })).text.length, 100);
});

test('a type outside accepts is refused, naming the accepted types; text/* covers the family', async () => {
  await rejectsWith(
    loaders.load({ name: 'notes.md', bytes: utf8('# hi') }, limits, ['application/pdf']),
    'DOCUMENT_UNREADABLE',
    /^notes\.md: this pipeline does not accept text\/markdown documents \(it accepts application\/pdf\)/,
  );
  assert.equal((await loaders.load({ name: 'notes.md', bytes: utf8('# hi') }, limits, ['application/pdf', 'text/*'])).text, '# hi');
});

test('a declared type no loader reads is refused', async () => {
  await rejectsWith(
    loaders.load({ name: 'photo.png', mediaType: 'image/png', bytes: randomBytes(64) }, limits),
    'DOCUMENT_UNREADABLE',
    /^photo\.png: no loader reads image\/png documents \(readable types: .*application\/pdf/,
  );
});

test('without a name or type, the bytes tell PDF, DOCX and text apart', async () => {
  const pdf = await loaders.load({ bytes: await twoPagePdf() }, limits);
  assert.equal(pdf.mediaType, 'application/pdf');
  assert.equal(pdf.pages, 2);
  const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('Packed')] }] }));
  assert.deepEqual(await loaders.load({ mediaType: 'application/octet-stream', bytes: docx }, limits), { text: 'Packed', mediaType: docxType });
  assert.deepEqual(await loaders.load({ name: 'README', bytes: utf8('plain words') }, limits), { text: 'plain words', mediaType: 'text/plain' });
  await rejectsWith(
    loaders.load({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00]) }, limits),
    'DOCUMENT_UNREADABLE',
    /^unnamed document: cannot tell what kind of document this is/,
  );
});

// The configuration's defaults: a .docx may unpack to 10 MiB + 100 × 400,000 bytes.
const defaultLimits = { maxBytes: 10 * 1024 * 1024, maxChars: 400_000 };

test('a .docx zip bomb is too large before mammoth inflates it, and the message names the setting', async () => {
  const arrayBuffers = process.memoryUsage().arrayBuffers;
  await rejectsWith(
    loaders.load({ name: 'bomb.docx', bytes: docxBomb({ inflatedMiB: 1024 }) }, defaultLimits),
    'DOCUMENT_TOO_LARGE',
    /^bomb\.docx: the Word document unpacks to more than 50,485,760 bytes \(word\/document\.xml alone declares 1,073,741,824 bytes\).*raise jobs\.documents\.maxChars/,
  );
  assert.ok(process.memoryUsage().arrayBuffers - arrayBuffers < 64 * 1024 * 1024, 'nothing was inflated');
});

test('a .docx whose declared sizes lie is unreadable, stopped at the declared size', async () => {
  await rejectsWith(
    loaders.load({ name: 'liar.docx', bytes: docxBomb({ inflatedMiB: 1024, declaredSize: 2048 }) }, defaultLimits),
    'DOCUMENT_UNREADABLE',
    /^liar\.docx: the file is not a readable Word \.docx document \(word\/document\.xml inflates to more than the 2,048 bytes it declares/,
  );
});

test('a PDF over maxPages is too large before any page is read', async () => {
  await rejectsWith(
    loaders.load({ name: 'report.pdf', bytes: await manyPagePdf(12) }, { ...limits, maxPages: 10 }),
    'DOCUMENT_TOO_LARGE',
    /^report\.pdf: the PDF has 12 pages, over the limit of 10 \(jobs\.documents\.maxPages\)/,
  );
  assert.equal((await loaders.load({ name: 'report.pdf', bytes: await manyPagePdf(10) }, { ...limits, maxPages: 10 })).pages, 10);
});

test('a PDF stops being read at the page where its text passes maxChars', async () => {
  // Each page holds "Page N of the long report": 25 characters up to page 9, so page 5 passes 100.
  await assert.rejects(loaders.load({ name: 'report.pdf', bytes: await manyPagePdf(200) }, { ...limits, maxChars: 100 }), (error: unknown) => {
    assert.ok(BreakwaterError.isInstance(error));
    assert.equal(error.code, 'DOCUMENT_TOO_LARGE');
    assert.match(error.message, /^report\.pdf: the extracted text passed the limit of 100 characters \(jobs\.documents\.maxChars\) by page 5 of 200/);
    assert.equal(error.details.pagesRead, 5);
    return true;
  });
});
