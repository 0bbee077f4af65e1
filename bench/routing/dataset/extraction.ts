import { entries } from './entry.js';

const contact = {
  name: 'contact',
  schema: {
    type: 'object',
    properties: { name: { type: 'string' }, email: { type: 'string' }, phone: { type: ['string', 'null'] } },
    required: ['name', 'email', 'phone'],
    additionalProperties: false,
  },
};
const sentiment = {
  name: 'sentiment',
  schema: {
    type: 'object',
    properties: { sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] }, topic: { type: 'string' } },
    required: ['sentiment', 'topic'],
    additionalProperties: false,
  },
};
const ticket = {
  name: 'ticket_triage',
  schema: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: ['billing', 'shipping', 'returns', 'product', 'account', 'other'] },
      urgency: { type: 'string', enum: ['low', 'normal', 'high'] },
      language: { type: 'string' },
    },
    required: ['category', 'urgency', 'language'],
    additionalProperties: false,
  },
};
const address = {
  type: 'object',
  properties: { street: { type: 'string' }, city: { type: 'string' }, postcode: { type: 'string' }, country: { type: 'string' } },
  required: ['street', 'city', 'postcode', 'country'],
  additionalProperties: false,
};
const invoice = {
  name: 'invoice',
  schema: {
    type: 'object',
    properties: {
      number: { type: 'string' },
      issueDate: { type: 'string' },
      dueDate: { type: ['string', 'null'] },
      currency: { type: 'string', enum: ['EUR', 'USD', 'GBP', 'CHF'] },
      seller: {
        type: 'object',
        properties: { name: { type: 'string' }, vatId: { type: ['string', 'null'] }, address },
        required: ['name', 'vatId', 'address'],
        additionalProperties: false,
      },
      buyer: {
        type: 'object',
        properties: { name: { type: 'string' }, vatId: { type: ['string', 'null'] }, address },
        required: ['name', 'vatId', 'address'],
        additionalProperties: false,
      },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          properties: { description: { type: 'string' }, quantity: { type: 'number' }, unitPrice: { type: 'number' }, vatRate: { type: 'number', enum: [0, 7, 19, 20] } },
          required: ['description', 'quantity', 'unitPrice', 'vatRate'],
          additionalProperties: false,
        },
      },
      total: { type: 'number' },
    },
    required: ['number', 'issueDate', 'dueDate', 'currency', 'seller', 'buyer', 'lines', 'total'],
    additionalProperties: false,
  },
};
const contract = {
  name: 'contract_terms',
  schema: {
    type: 'object',
    properties: {
      parties: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, role: { type: 'string', enum: ['licensor', 'licensee', 'guarantor'] } },
          required: ['name', 'role'],
          additionalProperties: false,
        },
      },
      termMonths: { type: 'integer' },
      autoRenewal: { type: 'boolean' },
      noticePeriodDays: { type: ['integer', 'null'] },
      fees: {
        type: 'array',
        items: {
          type: 'object',
          properties: { kind: { type: 'string', enum: ['one-off', 'monthly', 'yearly', 'usage'] }, amount: { type: 'number' }, currency: { type: 'string' } },
          required: ['kind', 'amount', 'currency'],
          additionalProperties: false,
        },
      },
      liabilityCap: { type: ['string', 'null'] },
      terminationRights: {
        type: 'array',
        items: { type: 'object', properties: { party: { type: 'string' }, condition: { type: 'string' } }, required: ['party', 'condition'], additionalProperties: false },
      },
      governingLaw: { type: 'string' },
    },
    required: ['parties', 'termMonths', 'autoRenewal', 'noticePeriodDays', 'fees', 'liabilityCap', 'terminationRights', 'governingLaw'],
    additionalProperties: false,
  },
};
const system = { system: 'Extract the requested fields from the text. Use null when a field is not present.' };

export const extraction = entries('extraction', [
  ['easy', 'en', 'Best regards,\nAnna Schmidt\nHead of Procurement, Keller GmbH\nanna.schmidt@keller.example | +49 30 1234567', { ...system, schema: contact, repeat: 2 }],
  ['easy', 'en', 'Cheers, Tom (tom.b@studio-north.example)', { ...system, schema: contact }],
  ['easy', 'fr', 'Cordialement,\nJulien Moreau – julien.moreau@atelier.example – 06 12 34 56 78', { ...system, schema: contact }],
  ['easy', 'es', 'Un saludo, Lucía Fernández. Escríbeme a lucia@fernandez.example o llámame al 612 345 678.', { ...system, schema: contact }],
  ['easy', 'en', 'Absolutely love the new backpack, the hip belt is so comfortable!', { ...system, schema: sentiment, repeat: 3 }],
  ['easy', 'de', 'Die Lieferung hat zwei Wochen gedauert, das ist echt enttäuschend.', { ...system, schema: sentiment, repeat: 2 }],
  ['easy', 'fr', "Produit correct, rien d'exceptionnel.", { ...system, schema: sentiment }],
  ['easy', 'es', 'La tienda es genial pero el envío fue lentísimo.', { ...system, schema: sentiment }],
  ['easy', 'en', 'I was charged twice for order 5521, please fix this asap!!', { ...system, schema: ticket, repeat: 2 }],
  ['easy', 'de', 'Hallo, ich komme nicht mehr in mein Konto, das Passwort wird nicht akzeptiert.', { ...system, schema: ticket }],
  ['easy', 'en', 'Where is my parcel? Ordered 10 days ago.', { ...system, schema: ticket }],
  ['easy', 'it', 'Vorrei restituire le scarpe, sono troppo piccole.', { ...system, schema: ticket }],
  [
    'easy',
    'en',
    'Extract the date and amount: "Payment of EUR 1,240.00 received on 14 March 2024, thank you."',
    {
      schema: {
        name: 'payment',
        schema: { type: 'object', properties: { date: { type: 'string' }, amount: { type: 'number' } }, required: ['date', 'amount'], additionalProperties: false },
      },
    },
  ],
  [
    'hard',
    'en',
    "RECHNUNG / INVOICE Nr. 2024-0113\nBergwerk Textil AG, Seestrasse 4, 8002 Zürich, CHE-112.334.556 MWST\nan: Nordhaven Outdoor GmbH, Am Sandtorkai 12, 20457 Hamburg, DE298765432\nDatum: 03.04.2024, zahlbar innert 30 Tagen\n120 Stk. Fleece-Jacke Modell Alva à CHF 38.50\n40 Stk. Mütze Merino à CHF 12.00 (Muster, unberechnet)\nFracht pauschal CHF 180.00\nExport, steuerbefreit. Total CHF 4'800.00",
    { ...system, schema: invoice },
  ],
  [
    'hard',
    'de',
    'Rechnung 7781 vom 12.02.2024 der Müller & Söhne KG (Industriestr. 9, 70565 Stuttgart, USt-IdNr. DE811223344) an die Brandt GmbH, Lindenweg 3, 04109 Leipzig. Positionen: 3x Wartung Kompressor je 420,00 € netto; 1x Ersatzteil Ventil 89,90 € netto, 19 % MwSt. auf alles; Skonto 2 % bei Zahlung bis 22.02. Gesamt brutto 1.606,88 €.',
    { ...system, schema: invoice },
  ],
  [
    'hard',
    'en',
    'This Software Licence Agreement is made between Quill Analytics Ltd ("Licensor") and Harbour Freight Services BV ("Licensee"), with Harbour Holdings NV acting as guarantor. The initial term is twenty-four (24) months and shall renew automatically for successive twelve-month periods unless either party gives ninety (90) days\' written notice. Licensee shall pay a one-time implementation fee of EUR 15,000 and a monthly subscription of EUR 2,400, plus EUR 0.02 per processed shipment above 100,000 per month. Licensor\'s aggregate liability is capped at the fees paid in the preceding twelve months. Licensee may terminate for convenience after month 12 with 60 days\' notice; either party may terminate for material breach not cured within 30 days. This Agreement is governed by the laws of England and Wales.',
    { ...system, schema: contract },
  ],
  [
    'hard',
    'fr',
    "Contrat de licence entre Solvéo SAS (concédant) et Brasserie du Port SARL (licencié). Durée : 36 mois, sans tacite reconduction. Redevance annuelle de 4 800 € HT, payable d'avance, et frais d'installation uniques de 1 200 €. La responsabilité du concédant est limitée au montant des redevances annuelles. Le licencié peut résilier en cas de manquement grave non corrigé sous 15 jours. Droit applicable : droit français.",
    { ...system, schema: contract },
  ],
  [
    'hard',
    'es',
    'Factura F-2024/0392, emitida el 5 de mayo de 2024 por Distribuciones Levante S.L. (CIF B12345678, Calle Colón 22, 46004 Valencia) a Nordhaven Outdoor GmbH, Am Sandtorkai 12, 20457 Hamburgo, Alemania (VAT DE298765432). Conceptos: 200 cantimploras a 6,40 €, 50 linternas frontales a 14,90 €; operación intracomunitaria exenta de IVA. Vencimiento a 60 días. Total 2.025,00 €.',
    { ...system, schema: invoice },
  ],
]);
