/**
 * Regenerates the binary sample documents under samples/ (the text, Markdown and HTML samples
 * are written by hand). Amounts are computed here, so every total adds up.
 *
 *   node --import tsx scripts/make-samples.ts
 *
 * Output: samples/invoices/kyoto-supplies-2026-117.pdf, samples/invoices/tallinn-tech-0093.docx,
 * samples/manifests/busan-longbeach-MAEU-2026-3381.pdf, samples/corrupt/broken-invoice.pdf.
 * The PDFs are byte-for-byte reproducible; the DOCX is not (docx stamps the current time).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';

const samples = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'samples');
const fixedDate = new Date('2026-03-10T09:00:00Z');

interface LineItem {
  description: string;
  quantity: number;
  unitPrice: number;
}

/** Exact totals for a currency with `decimals` minor digits, computed in minor units. */
function totals(items: readonly LineItem[], taxRate: number, decimals: number) {
  const scale = 10 ** decimals;
  const amounts = items.map((item) => Math.round(item.quantity * item.unitPrice * scale));
  const subtotal = amounts.reduce((sum, amount) => sum + amount, 0);
  const tax = Math.round(subtotal * taxRate);
  return { amounts: amounts.map((amount) => amount / scale), subtotal: subtotal / scale, tax: tax / scale, total: (subtotal + tax) / scale };
}

/** Draws text top-down on a page: `line` writes one row of cells at given x positions. */
class PdfLayout {
  private y: number;

  constructor(
    private readonly page: PDFPage,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.y = page.getHeight() - 56;
  }

  text(value: string, options: { size?: number; bold?: boolean; x?: number } = {}): void {
    const size = options.size ?? 10;
    this.page.drawText(value, { x: options.x ?? 50, y: this.y, size, font: options.bold ? this.bold : this.font });
    this.y -= size + 5;
  }

  /** Cells as [text, x, align]; right-aligned cells end at x. */
  row(cells: ReadonlyArray<readonly [string, number, 'left' | 'right']>, options: { bold?: boolean } = {}): void {
    const font = options.bold ? this.bold : this.font;
    for (const [value, x, align] of cells) {
      const left = align === 'right' ? x - font.widthOfTextAtSize(value, 10) : x;
      this.page.drawText(value, { x: left, y: this.y, size: 10, font });
    }
    this.y -= 15;
  }

  rule(): void {
    this.page.drawLine({ start: { x: 50, y: this.y + 10 }, end: { x: this.page.getWidth() - 50, y: this.y + 10 }, thickness: 0.5, color: rgb(0.5, 0.5, 0.5) });
    this.y -= 6;
  }

  gap(points = 10): void {
    this.y -= points;
  }
}

async function newPdf(title: string) {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.setTitle(title);
  pdf.setProducer('breakwater scripts/make-samples.ts');
  pdf.setCreationDate(fixedDate);
  pdf.setModificationDate(fixedDate);
  const page = pdf.addPage([595, 842]); // A4
  const layout = new PdfLayout(page, await pdf.embedFont(StandardFonts.Helvetica), await pdf.embedFont(StandardFonts.HelveticaBold));
  return { pdf, layout };
}

async function kyotoInvoice(): Promise<Uint8Array> {
  const items: LineItem[] = [
    { description: 'Copy paper A4, 64 g/m2 (box of 2,500 sheets)', quantity: 8, unitPrice: 3980 },
    { description: 'Whiteboard markers, assorted (set of 12)', quantity: 10, unitPrice: 1250 },
    { description: 'Desk organiser, bamboo', quantity: 5, unitPrice: 2640 },
  ];
  const sum = totals(items, 0.1, 0);
  const yen = (value: number) => `¥${value.toLocaleString('en-US')}`;
  const { pdf, layout } = await newPdf('Invoice 2026-117');
  layout.text('Kyoto Office Supplies Co., Ltd.', { size: 16, bold: true });
  layout.text('245 Karasuma-dori Shijo-agaru, Nakagyo-ku');
  layout.text('Kyoto 604-8152, Japan');
  layout.text('Qualified invoice issuer registration no. T5130001048273');
  layout.gap();
  layout.text('INVOICE', { size: 14, bold: true });
  layout.text('Invoice no.: 2026-117');
  layout.text('Issue date: 2026-03-10');
  layout.text('Payment due: 2026-04-30');
  layout.text('Currency: JPY');
  layout.gap();
  layout.text('Bill to:', { bold: true });
  layout.text('Harborview English School');
  layout.text('3-2-1 Shibuya, Shibuya-ku, Tokyo 150-0002, Japan');
  layout.gap();
  layout.row(
    [
      ['Description', 50, 'left'],
      ['Qty', 360, 'right'],
      ['Unit price', 450, 'right'],
      ['Amount', 545, 'right'],
    ],
    { bold: true },
  );
  layout.rule();
  items.forEach((item, index) => {
    layout.row([
      [item.description, 50, 'left'],
      [String(item.quantity), 360, 'right'],
      [yen(item.unitPrice), 450, 'right'],
      [yen(sum.amounts[index] ?? 0), 545, 'right'],
    ]);
  });
  layout.rule();
  layout.row([
    ['Subtotal', 380, 'left'],
    [yen(sum.subtotal), 545, 'right'],
  ]);
  layout.row([
    ['Consumption tax 10%', 380, 'left'],
    [yen(sum.tax), 545, 'right'],
  ]);
  layout.row(
    [
      ['Total', 380, 'left'],
      [yen(sum.total), 545, 'right'],
    ],
    { bold: true },
  );
  layout.gap(20);
  layout.text('Bank transfer: MUFG Bank, Kyoto branch, ordinary account 0123456, Kyoto Office Supplies Co., Ltd.');
  return pdf.save();
}

async function busanManifest(): Promise<Uint8Array> {
  const items = [
    { description: 'LED panel light 600 x 600 mm, 40 W', quantity: 480, weightKg: 1296 },
    { description: 'Aluminium mounting rail, 2 m', quantity: 1200, weightKg: 2160 },
    { description: 'Constant-current LED driver, 40 W', quantity: 480, weightKg: 192 },
  ];
  const kg = (value: number) => value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const { pdf, layout } = await newPdf('Delivery manifest MAEU-2026-3381');
  layout.text('DELIVERY MANIFEST', { size: 16, bold: true });
  layout.gap();
  layout.text('Shipment ID: MAEU-2026-3381');
  layout.text('Ship date: 2026-02-18');
  layout.text("Carrier: Maersk Line, vessel Maersk Essen, voyage 607E, container MSKU 719204 3 (40' HC)");
  layout.text('Origin: Hanbit Lighting Co., 41 Sinhang-ro, Jinhae-gu, Changwon / Port of Busan, South Korea');
  layout.text('Destination: Pacific Light Distributors, 2401 E Pacific Coast Hwy, Long Beach, CA 90806, USA');
  layout.gap();
  layout.row(
    [
      ['Description', 50, 'left'],
      ['Quantity', 420, 'right'],
      ['Weight (kg)', 545, 'right'],
    ],
    { bold: true },
  );
  layout.rule();
  for (const item of items)
    layout.row([
      [item.description, 50, 'left'],
      [item.quantity.toLocaleString('en-US'), 420, 'right'],
      [kg(item.weightKg), 545, 'right'],
    ]);
  layout.rule();
  const quantity = items.reduce((sum, item) => sum + item.quantity, 0);
  const weight = items.reduce((sum, item) => sum + item.weightKg, 0);
  layout.row(
    [
      ['Total', 50, 'left'],
      [quantity.toLocaleString('en-US'), 420, 'right'],
      [kg(weight), 545, 'right'],
    ],
    { bold: true },
  );
  layout.gap(20);
  layout.text('Packed on 12 pallets; weights are net of pallets (12 x 18.0 kg).');
  return pdf.save();
}

async function tallinnInvoice(): Promise<Buffer> {
  const items: LineItem[] = [
    { description: 'Cloud infrastructure set-up (hours)', quantity: 24, unitPrice: 85 },
    { description: 'Managed Kubernetes support, March 2026', quantity: 1, unitPrice: 1200 },
    { description: 'Wildcard TLS certificate, 1 year', quantity: 1, unitPrice: 149 },
  ];
  const sum = totals(items, 0.24, 2);
  const euro = (value: number) => `€${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const cell = (text: string, options: { bold?: boolean; right?: boolean } = {}) =>
    new TableCell({
      children: [new Paragraph({ alignment: options.right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text, bold: options.bold ?? false })] })],
    });
  const row = (cells: readonly string[], bold = false) => new TableRow({ children: cells.map((text, index) => cell(text, { bold, right: index > 0 })) });
  const document = new Document({
    title: 'Invoice 0093',
    creator: 'Tallinn Tech OÜ',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Tallinn Tech OÜ', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('Telliskivi 60a, 10412 Tallinn, Estonia'),
          new Paragraph('Reg. code 14820937 · VAT EE102345678 · invoices@tallinntech.example.ee'),
          new Paragraph({ text: 'Invoice 0093', heading: HeadingLevel.HEADING_2 }),
          new Paragraph('Invoice number: 0093'),
          new Paragraph('Issue date: 5 March 2026'),
          new Paragraph('Due date: 19 March 2026'),
          new Paragraph('Currency: EUR'),
          new Paragraph({ children: [new TextRun({ text: 'Buyer: ', bold: true }), new TextRun('Pärnu Sadam AS, Ranna tee 2, 80010 Pärnu, Estonia (VAT EE100432199)')] }),
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [
              row(['Description', 'Quantity', 'Unit price', 'Amount'], true),
              ...items.map((item, index) => row([item.description, String(item.quantity), euro(item.unitPrice), euro(sum.amounts[index] ?? 0)])),
            ],
          }),
          new Paragraph(`Subtotal: ${euro(sum.subtotal)}`),
          new Paragraph('VAT 24%: ' + euro(sum.tax)),
          new Paragraph({ children: [new TextRun({ text: `Total due: ${euro(sum.total)}`, bold: true })] }),
          new Paragraph('Please pay to LHV Pank, IBAN EE47 7700 7710 0123 4567, reference 0093.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

async function write(relative: string, bytes: Uint8Array): Promise<void> {
  const file = path.join(samples, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  console.log(`${relative} (${bytes.length} bytes)`);
}

const kyoto = await kyotoInvoice();
await write('invoices/kyoto-supplies-2026-117.pdf', kyoto);
await write('invoices/tallinn-tech-0093.docx', await tallinnInvoice());
await write('manifests/busan-longbeach-MAEU-2026-3381.pdf', await busanManifest());
// Cut inside the page content: the header survives, so it still sniffs as a PDF, but the
// cross-reference table and trailer are gone.
await write('corrupt/broken-invoice.pdf', kyoto.slice(0, Math.floor(kyoto.length * 0.6)));
