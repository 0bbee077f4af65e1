import { entries, tool } from './entry.js';

/**
 * Dev additions for issue 13, second round: requests whose shape misleads a router that reads
 * size and domain words. Easy ones that look long or technical — an agent with a dozen tools
 * and a one-line ask, an extraction into a wide schema from a clean document, a pasted
 * contract or leaflet with a simple question after it, formatting jobs, short code questions —
 * beside hard ones that look short (a risk-domain judgement in one sentence, several
 * constraints in one line). Labelled by "would a careful human want the large model". Written
 * from the failure classes the bench names per blind category (agents, extraction, legal,
 * writing, health), never from blind lines. Paraphrases sit next to their originals.
 */

// An assistant wired to many tools: the tool list is long, the ask usually is not.
const workspace = [
  tool('search_mail', 'Search the mailbox', { query: { type: 'string' }, limit: { type: 'integer' } }, ['query']),
  tool('send_mail', 'Send an email', { to: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' } }),
  tool('list_events', 'Calendar events between two dates', { from: { type: 'string' }, to: { type: 'string' } }),
  tool('create_event', 'Create a calendar event', {
    title: { type: 'string' },
    start: { type: 'string' },
    minutes: { type: 'integer' },
    attendees: { type: 'array', items: { type: 'string' } },
  }),
  tool('find_file', 'Find a file in the shared drive', { name: { type: 'string' } }),
  tool('share_file', 'Share a file with someone', { fileId: { type: 'string' }, email: { type: 'string' }, role: { type: 'string', enum: ['viewer', 'editor'] } }),
  tool('create_task', 'Create a to-do', { title: { type: 'string' }, due: { type: 'string' } }, ['title']),
  tool('list_tasks', 'Open to-dos', {}),
  tool('get_weather', 'Weather forecast for a city', { city: { type: 'string' }, days: { type: 'integer' } }, ['city']),
  tool('convert_currency', 'Convert an amount', { amount: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } }),
  tool('translate', 'Translate a text', { text: { type: 'string' }, to: { type: 'string' } }),
  tool('set_timer', 'Start a timer', { minutes: { type: 'integer' } }),
];
const commerce = [
  tool('find_order', 'Find an order by number or email', { query: { type: 'string' } }),
  tool('order_status', 'Shipping status of an order', { orderId: { type: 'string' } }),
  tool('cancel_order', 'Cancel an order that has not shipped', { orderId: { type: 'string' }, reason: { type: 'string' } }),
  tool('start_return', 'Open a return for items of an order', { orderId: { type: 'string' }, items: { type: 'array', items: { type: 'string' } } }),
  tool('product_search', 'Search the catalogue', { query: { type: 'string' }, maxPrice: { type: 'number' } }, ['query']),
  tool('stock', 'Stock of a product in a size', { sku: { type: 'string' }, size: { type: 'string' } }),
  tool('apply_voucher', 'Apply a voucher to the basket', { code: { type: 'string' } }),
  tool('change_address', 'Change the delivery address of an order', { orderId: { type: 'string' }, address: { type: 'string' } }),
  tool('handover', 'Hand the chat to a human agent', { summary: { type: 'string' } }),
];
const agentSystem = { system: 'You are an assistant with tools. Call a tool when you need data or to act; never invent data. Keep answers short.' };
const shopSystem = {
  system:
    'You are the shopping assistant of Lindqvist Home. Use the tools to look up orders, stock and returns. Returns are free within 30 days. Never promise delivery dates the tools do not give. Hand over to a human for complaints about damage or legal threats.',
};

export const toolCalls = entries('tool-calls', [
  ['easy', 'en', "What's on my calendar tomorrow?", { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Do I have anything booked on Friday afternoon?', { ...agentSystem, tools: workspace }],
  ['easy', 'de', 'Was steht morgen in meinem Kalender?', { ...agentSystem, tools: workspace }],
  ['easy', 'fr', "Qu'est-ce que j'ai dans mon agenda demain ?", { ...agentSystem, tools: workspace }],
  ['easy', 'es', '¿Qué tengo en la agenda el viernes?', { ...agentSystem, tools: workspace }],
  ['easy', 'nl', 'Wat staat er morgen in mijn agenda?', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Set a timer for 12 minutes.', { ...agentSystem, tools: workspace }],
  ['easy', 'it', 'Imposta un timer di 10 minuti per la pasta.', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Find the Q3 budget spreadsheet and share it with tom@lindqvist.example as viewer.', { ...agentSystem, tools: workspace }],
  ['easy', 'de', 'Such die Datei "Reisekosten 2026" und teil sie mit anna@firma.example, nur lesen.', { ...agentSystem, tools: workspace }],
  ['easy', 'pt', 'Procura o ficheiro "Contrato fornecedor" e partilha com a Rita como editora: rita@empresa.example', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Add "renew passport" to my to-dos for next Monday.', { ...agentSystem, tools: workspace }],
  ['easy', 'fr', 'Ajoute « appeler le plombier » à ma liste pour jeudi.', { ...agentSystem, tools: workspace }],
  ['easy', 'es', 'Apunta en mis tareas: pagar la cuota del gimnasio antes del día 5.', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Did Sarah reply to my email about the offsite?', { ...agentSystem, tools: workspace }],
  ['easy', 'de', 'Hat mir die Hausverwaltung diese Woche geschrieben?', { ...agentSystem, tools: workspace }],
  ['easy', 'nl', 'Heeft de verhuurder me deze week gemaild?', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Book 30 minutes with Jonas on Thursday at 3 pm called "1:1".', { ...agentSystem, tools: workspace }],
  ['easy', 'pl', 'Dodaj spotkanie z Kasią w środę o 10:00 na pół godziny.', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'How much is 1,200 Swiss francs in euros?', { ...agentSystem, tools: workspace }],
  ['easy', 'it', 'Quanto sono 300 sterline in euro?', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Will it rain in Utrecht this weekend?', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Email Priya that I will be 10 minutes late to standup.', { ...agentSystem, tools: workspace }],
  ['easy', 'fr', 'Envoie un mail à Paul pour lui dire que la réunion est déplacée à 15 h, même salle.', { ...agentSystem, tools: workspace }],
  ['easy', 'es', 'Manda un correo a Lucía: "Te paso el informe mañana por la mañana".', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'What are my open to-dos?', { ...agentSystem, tools: workspace }],
  [
    'hard',
    'en',
    'Look through my mail from the last two weeks for anything from the auditors, list every document they asked for that I have not sent yet, find those files in the drive, and draft one reply that attaches what exists and explains what is missing and when it will come.',
    { ...agentSystem, tools: workspace },
  ],
  [
    'hard',
    'de',
    'Plane mir nächste Woche drei Termine mit dem Vertriebsteam, die sich nicht mit meinen bestehenden Terminen und nicht mit der Mittagspause überschneiden, mindestens einen Tag Abstand haben, und schick allen eine Einladung mit Agenda aus den letzten Protokollen.',
    { ...agentSystem, tools: workspace },
  ],
  [
    'hard',
    'fr',
    'Compare les trois devis de traiteur reçus par mail ce mois-ci, convertis-les en euros, dis-moi lequel respecte un budget de 2 000 € pour 40 personnes avec option végétarienne, et réponds au meilleur pour réserver le 14.',
    { ...agentSystem, tools: workspace },
  ],
  [
    'hard',
    'en',
    'Reschedule everything that clashes with the board meeting and tell each person why, without moving anything with external clients.',
    { ...agentSystem, tools: workspace },
  ],
  ['hard', 'es', 'Reorganiza mi semana para liberar dos mañanas enteras sin mover las reuniones con clientes y avisa a los afectados.', { ...agentSystem, tools: workspace }],
  ['easy', 'en', 'Where is my order 88213?', { ...shopSystem, tools: commerce }],
  ['easy', 'en', 'Can you cancel order 88213? I ordered the wrong colour.', { ...shopSystem, tools: commerce }],
  ['easy', 'de', 'Bitte storniert meine Bestellung 55120, ich hab mich vertan.', { ...shopSystem, tools: commerce }],
  ['easy', 'fr', 'Je voudrais retourner le plaid de la commande 77031, il ne me plaît pas.', { ...shopSystem, tools: commerce }],
  ['easy', 'es', '¿Tenéis la lámpara Nova en blanco?', { ...shopSystem, tools: commerce }],
  ['easy', 'nl', 'Is het dekbedovertrek Fjord nog leverbaar in 240x220?', { ...shopSystem, tools: commerce }],
  ['easy', 'it', 'Ho un codice sconto, WELCOME10, me lo applichi?', { ...shopSystem, tools: commerce }],
  ['easy', 'en', 'Please change the delivery address of 88213 to 14 Mill Lane, Leeds LS2 7EW.', { ...shopSystem, tools: commerce }],
  ['easy', 'pl', 'Gdzie jest moje zamówienie 66402?', { ...shopSystem, tools: commerce }],
  ['easy', 'en', 'Show me rugs under 150 euros.', { ...shopSystem, tools: commerce }],
  ['easy', 'pt', 'Quero devolver duas almofadas da encomenda 30917.', { ...shopSystem, tools: commerce }],
  [
    'hard',
    'en',
    'The sofa from order 88213 arrived with a torn seam, your courier left it in the rain, and I was charged twice. I want a full refund of both charges plus compensation or I will go to the consumer ombudsman.',
    { ...shopSystem, tools: commerce },
  ],
  [
    'hard',
    'de',
    'Ich habe drei Bestellungen, zwei sind teilweise geliefert, eine doppelt abgebucht. Welche Artikel fehlen noch, was wurde zu viel berechnet, und wie bekomme ich das Geld zurück, ohne die gelieferten Teile zurückzuschicken?',
    { ...shopSystem, tools: commerce },
  ],
]);

const invoiceSchema = {
  name: 'invoice',
  schema: {
    type: 'object',
    properties: {
      invoice_number: { type: 'string' },
      issue_date: { type: 'string' },
      due_date: { type: ['string', 'null'] },
      seller: {
        type: 'object',
        properties: { name: { type: 'string' }, vat_id: { type: ['string', 'null'] }, address: { type: 'string' } },
        required: ['name', 'vat_id', 'address'],
        additionalProperties: false,
      },
      buyer: { type: 'object', properties: { name: { type: 'string' }, address: { type: 'string' } }, required: ['name', 'address'], additionalProperties: false },
      currency: { type: 'string', enum: ['EUR', 'GBP', 'USD', 'CHF', 'PLN'] },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          properties: { description: { type: 'string' }, quantity: { type: 'number' }, unit_price: { type: 'number' }, vat_rate: { type: 'number' } },
          required: ['description', 'quantity', 'unit_price', 'vat_rate'],
          additionalProperties: false,
        },
      },
      net_total: { type: 'number' },
      vat_total: { type: 'number' },
      gross_total: { type: 'number' },
    },
    required: ['invoice_number', 'issue_date', 'due_date', 'seller', 'buyer', 'currency', 'lines', 'net_total', 'vat_total', 'gross_total'],
    additionalProperties: false,
  },
};
const bookingSchema = {
  name: 'booking',
  schema: {
    type: 'object',
    properties: {
      guest_name: { type: 'string' },
      email: { type: ['string', 'null'] },
      phone: { type: ['string', 'null'] },
      check_in: { type: 'string' },
      check_out: { type: 'string' },
      adults: { type: 'integer' },
      children: { type: 'integer' },
      room_type: { type: 'string', enum: ['single', 'double', 'twin', 'suite', 'family'] },
      breakfast: { type: 'boolean' },
      parking: { type: 'boolean' },
      notes: { type: ['string', 'null'] },
      language: { type: 'string' },
    },
    required: ['guest_name', 'email', 'phone', 'check_in', 'check_out', 'adults', 'children', 'room_type', 'breakfast', 'parking', 'notes', 'language'],
    additionalProperties: false,
  },
};
const jobSchema = {
  name: 'job_posting',
  schema: {
    type: 'object',
    properties: {
      title: { type: 'string' },
      company: { type: 'string' },
      location: { type: 'string' },
      remote: { type: 'string', enum: ['onsite', 'hybrid', 'remote'] },
      employment: { type: 'string', enum: ['full-time', 'part-time', 'contract', 'internship'] },
      salary_min: { type: ['number', 'null'] },
      salary_max: { type: ['number', 'null'] },
      currency: { type: ['string', 'null'] },
      skills: { type: 'array', items: { type: 'string' } },
      languages: { type: 'array', items: { type: 'string' } },
      apply_by: { type: ['string', 'null'] },
    },
    required: ['title', 'company', 'location', 'remote', 'employment', 'salary_min', 'salary_max', 'currency', 'skills', 'languages', 'apply_by'],
    additionalProperties: false,
  },
};
const clauseSchema = {
  name: 'contract_risks',
  schema: {
    type: 'object',
    properties: {
      risks: {
        type: 'array',
        items: {
          type: 'object',
          properties: { clause: { type: 'string' }, risk: { type: 'string', enum: ['low', 'medium', 'high'] }, why: { type: 'string' }, suggested_change: { type: 'string' } },
          required: ['clause', 'risk', 'why', 'suggested_change'],
          additionalProperties: false,
        },
      },
      overall: { type: 'string', enum: ['sign', 'negotiate', 'do not sign'] },
    },
    required: ['risks', 'overall'],
    additionalProperties: false,
  },
};
const extractSystem = { system: 'Extract the fields of the schema from the document the user sends. Use null for anything the document does not say. Do not guess.' };

export const schemaExtraction = entries('schema-extraction', [
  [
    'easy',
    'en',
    'Invoice INV-2026-0412, issued 3 March 2026, due 2 April 2026.\nFrom: Harbour Print Ltd, VAT GB 293 1188 02, 5 Quay Street, Bristol BS1 4DJ.\nTo: Oakleaf Café, 19 Park Row, Bristol BS1 5LJ.\n250 menus A4, 0.80 each, VAT 20%\n100 table cards, 0.50 each, VAT 20%\nNet 250.00, VAT 50.00, total 300.00 GBP.',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'easy',
    'de',
    'Rechnung Nr. 2026-118 vom 12.02.2026, zahlbar bis 26.02.2026.\nMalerbetrieb Keller GmbH, USt-IdNr. DE 812 334 190, Hauptstr. 4, 79098 Freiburg.\nAn: Familie Brandt, Lindenweg 9, 79100 Freiburg.\nWohnzimmer streichen, 1 Pauschale, 680,00 €, 19 %\nMaterial, 1, 142,00 €, 19 %\nNetto 822,00 €, MwSt. 156,18 €, brutto 978,18 €.',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'easy',
    'fr',
    'Facture F-7781 du 05/01/2026. Échéance : 04/02/2026.\nAtelier Roux SARL, TVA FR 41 523 118 907, 12 rue des Tanneurs, 69002 Lyon.\nClient : Librairie Page 9, 3 place Bellecour, 69002 Lyon.\nRéparation vitrine, 1, 420,00 €, TVA 20 %\nTotal HT 420,00 €, TVA 84,00 €, TTC 504,00 €.',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'easy',
    'pl',
    'Faktura nr FV/03/2026/17 z dnia 10.03.2026, termin płatności 24.03.2026.\nSprzedawca: Drukarnia Wisła sp. z o.o., NIP PL 525-000-12-34, ul. Prosta 20, 00-850 Warszawa.\nNabywca: Kawiarnia Pod Lipą, ul. Długa 3, 80-827 Gdańsk.\nUlotki A5, 1000 szt., 0,30 zł, VAT 23%\nNetto 300,00 zł, VAT 69,00 zł, brutto 369,00 zł.',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'easy',
    'nl',
    'Factuur 2026-0093, datum 20-01-2026, te betalen binnen 14 dagen.\nSchildersbedrijf De Vries, btw NL 8012.34.567.B01, Kerkstraat 12, 3511 LX Utrecht.\nAan: Bakkerij Jansen, Oudegracht 40, 3511 AR Utrecht.\nGevel schilderen, 1, 1.450,00, 21%\nTotaal excl. btw 1.450,00, btw 304,50, totaal 1.754,50 EUR.',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'hard',
    'en',
    'Three documents from the same supplier follow: an invoice, a credit note that cancels two of its lines, and a second invoice that re-bills one of them at a different VAT rate. Fill the schema for what the buyer actually owes now, net of the credit note.\n\nInvoice 1 ... Credit note ... Invoice 2 ...',
    { ...extractSystem, schema: invoiceSchema },
  ],
  [
    'easy',
    'en',
    'Hi, I would like to book a double room from 12 to 15 June for two adults, with breakfast please. We arrive by car, so parking would be great. Emma Clarke, emma.clarke@mail.example, +44 7700 900123.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'de',
    'Guten Tag, wir möchten vom 3. bis 7. August ein Familienzimmer für zwei Erwachsene und zwei Kinder buchen, ohne Frühstück, kein Parkplatz nötig. Viele Grüße, Stefan Huber, 0171 5550192.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'es',
    'Buenas, quería reservar una habitación doble del 1 al 4 de mayo para dos adultos, con desayuno y parking. Somos celíacos, por favor tenedlo en cuenta. Marta Gil, marta.gil@correo.example.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'it',
    'Salve, vorrei prenotare una singola dal 10 al 12 ottobre, con colazione. Arrivo in treno. Luca Bianchi, luca.b@posta.example, 333 1234567.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'fr',
    'Bonjour, une chambre twin du 22 au 24 novembre pour deux collègues, petit-déjeuner oui, parking oui. Facture au nom de la société Berthier. Contact : Julie Berthier, 06 12 34 56 78.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'pt',
    'Olá, gostaria de reservar uma suite de 5 a 9 de setembro para dois adultos e uma criança de 4 anos, com pequeno-almoço, sem estacionamento. Ana Sousa, ana.sousa@mail.example.',
    { ...extractSystem, schema: bookingSchema },
  ],
  [
    'easy',
    'en',
    'Senior Data Analyst at Brightwell Insurance, Manchester (hybrid, 2 days in office). Full-time, £48,000–£56,000. You know SQL, Python and Power BI; German is a plus. Apply by 31 May.',
    { ...extractSystem, schema: jobSchema },
  ],
  [
    'easy',
    'de',
    'Wir suchen ab sofort eine Werkstudentin (m/w/d) Marketing, 20 Std./Woche, remote möglich, Berlin. Kenntnisse in Canva und Social Media, Deutsch und Englisch fließend. Bewerbung bis 15.04. an jobs@gruenwerk.example.',
    { ...extractSystem, schema: jobSchema },
  ],
  [
    'easy',
    'nl',
    'Gezocht: magazijnmedewerker, fulltime, Tilburg, op locatie. €2.600–€2.900 bruto per maand. Heftruckcertificaat vereist, Nederlands of Engels. Reageren voor 1 juni.',
    { ...extractSystem, schema: jobSchema },
  ],
  [
    'easy',
    'fr',
    'CDI – Développeur·se back-end Java, Nantes, télétravail complet possible. 45–55 k€. Spring Boot, PostgreSQL, Kafka. Anglais courant. Candidatures jusqu’au 30 juin.',
    { ...extractSystem, schema: jobSchema },
  ],
  [
    'easy',
    'es',
    'Prácticas de diseño UX en Valencia, presencial, 6 meses, 800 € al mes. Figma y nociones de HTML. Inglés B2. Plazo hasta el 20 de marzo.',
    { ...extractSystem, schema: jobSchema },
  ],
  [
    'hard',
    'en',
    'Here is the supplier agreement we were sent (clauses 1–14). Flag every clause that shifts liability or cost to us, rate each, suggest replacement wording we could propose, and tell me whether to sign as is.\n\n1. Definitions ... 7. Limitation of liability ... 11. Auto-renewal ... 14. Governing law ...',
    { system: 'You review contracts for a small business owner and answer in the schema.', schema: clauseSchema },
  ],
  [
    'hard',
    'de',
    'Prüf bitte diesen Mietvertrag für Gewerberäume auf Klauseln, die für uns als Mieter riskant sind (Indexmiete, Betriebskosten, Schönheitsreparaturen, Kündigung), mit Begründung und Gegenvorschlag.\n\n§ 1 Mietsache ... § 4 Miete und Indexierung ... § 9 Instandhaltung ... § 15 Kündigung ...',
    { system: 'You review contracts for a small business owner and answer in the schema.', schema: clauseSchema },
  ],
]);

// Retrieved material with a simple question after it: the size is the context's, the ask is small.
const leaflet = `Package leaflet: Ibuprofen 400 mg film-coated tablets.
What it is used for: mild to moderate pain such as headache, toothache and period pain, and fever.
Do not take if you are allergic to ibuprofen, have had a stomach ulcer or bleeding, have severe heart, liver or kidney failure, or are in the last three months of pregnancy.
How to take: adults and adolescents over 40 kg: 1 tablet up to three times a day, with water, preferably with food. Leave at least 6 hours between doses. Do not take more than 3 tablets (1,200 mg) in 24 hours. Do not use for more than 3 days for fever or 4 days for pain without talking to a doctor.
Possible side effects: stomach pain, nausea, heartburn, diarrhoea; rarely dizziness or skin rash. Stop taking and see a doctor at once if you notice black stools or vomit blood.
Storage: below 25 °C, in the original package. Keep out of the sight and reach of children.`;
const lease = `TENANCY AGREEMENT (excerpt)
1. The tenancy starts on 1 March 2026 for a fixed term of 12 months.
2. The rent is £1,150 per calendar month, payable in advance on the 1st of each month by standing order.
3. The deposit is £1,326 and is protected with the Deposit Protection Service within 30 days of receipt.
4. The tenant may not keep pets without the landlord's written consent, which will not be unreasonably withheld.
5. The tenant is responsible for council tax, water, gas, electricity and broadband.
6. Either party may end the tenancy after the fixed term by giving at least two months' notice in writing (landlord) or one month's notice (tenant).
7. The landlord will give at least 24 hours' written notice before visiting, except in an emergency.
8. Smoking is not permitted inside the property.`;
const policy = `Travel policy 2026 (summary for staff)
- Book flights and trains through the travel portal; economy class for trips under 6 hours, premium economy above.
- Hotels: up to €160 per night in Europe, €220 in London, Paris, Zurich and Oslo.
- Meals: daily allowance of €45, no receipts needed; alcohol is not reimbursed.
- Taxis only when public transport takes more than 45 minutes longer or after 22:00.
- Submit expenses within 30 days of return through the expenses app with photos of receipts.
- Private extensions of business trips are allowed if the extra nights are paid privately.`;
const faq = `Hilfe-Center: Kündigung und Tarifwechsel
Sie können Ihren Vertrag in den ersten 24 Monaten zum Ende der Mindestlaufzeit kündigen, danach jederzeit mit einer Frist von einem Monat.
Die Kündigung geht online unter „Mein Konto > Vertrag > Kündigen“ oder per Brief an Kundenservice, Postfach 1020, 50667 Köln.
Ein Tarifwechsel in einen höheren Tarif ist jederzeit möglich und gilt ab dem nächsten Werktag; ein Wechsel in einen günstigeren Tarif erst nach Ablauf der Mindestlaufzeit.
Bei einem Umzug nehmen Sie Ihren Tarif mit; ist am neuen Wohnort Ihr Tarif nicht verfügbar, haben Sie ein Sonderkündigungsrecht mit drei Monaten Frist.
Rufnummernmitnahme: Ihre Nummer bleibt bis 90 Tage nach Vertragsende portierbar.`;
const notice = `Avis aux copropriétaires — Résidence Les Tilleuls
L'assemblée générale ordinaire se tiendra le mardi 14 avril 2026 à 18 h 30 dans la salle polyvalente, 2 allée des Tilleuls.
Ordre du jour : approbation des comptes 2025, budget prévisionnel 2026, ravalement de la façade nord (devis joints), remplacement de l'interphone, élection du conseil syndical.
Les copropriétaires qui ne peuvent pas venir peuvent donner pouvoir à un autre copropriétaire au moyen du formulaire joint.
Les charges du deuxième trimestre sont appelées pour le 1er avril.`;
const rag = { system: 'Answer the question from the document the user pasted. If the document does not say, say so.' };

export const retrievedContext = entries('retrieved-context', [
  ['easy', 'en', `${leaflet}\n\nHow many tablets can I take in a day at most?`, rag],
  ['easy', 'en', `${leaflet}\n\nShould I take it with food?`, rag],
  ['easy', 'en', `${leaflet}\n\nHow should I store these?`, rag],
  ['easy', 'de', `${leaflet}\n\nWie viele Stunden Abstand zwischen zwei Tabletten? Bitte kurz auf Deutsch.`, rag],
  ['easy', 'fr', `${leaflet}\n\nCombien de jours maximum pour la fièvre ? Réponds en français.`, rag],
  ['easy', 'es', `${leaflet}\n\nResume en una frase para qué sirve, en español.`, rag],
  [
    'hard',
    'en',
    `${leaflet}\n\nI am 34 weeks pregnant, I also take low-dose aspirin from my midwife and I have had heartburn for days. Is it safe for me to take these for my back pain, and what should I take instead if not?`,
    rag,
  ],
  ['hard', 'de', `${leaflet}\n\nIch hatte vor zwei Jahren ein Magengeschwür und nehme Ramipril. Darf ich das trotzdem ein paar Tage nehmen, und worauf muss ich achten?`, rag],
  ['easy', 'en', `${lease}\n\nWhen is the rent due each month?`, rag],
  ['easy', 'en', `${lease}\n\nAm I allowed to smoke on the balcony? The text only mentions inside, right?`, rag],
  ['easy', 'en', `${lease}\n\nWho pays the broadband?`, rag],
  ['easy', 'en', `${lease}\n\nHow much notice do I have to give after the first year?`, rag],
  ['easy', 'pl', `${lease}\n\nIle wynosi kaucja? Odpowiedz po polsku.`, rag],
  ['easy', 'it', `${lease}\n\nQuanto preavviso deve dare il proprietario prima di una visita? Rispondi in italiano.`, rag],
  [
    'hard',
    'en',
    `${lease}\n\nMy landlord has now told me to leave in three weeks because he wants to sell, four months into the term, and is keeping the deposit for "cleaning". He never told me which scheme holds the deposit. What are my rights and what should I do first?`,
    rag,
  ],
  [
    'hard',
    'en',
    `${lease}\n\nThe boiler has been broken for 12 days in January and I have a newborn. Can I withhold rent or fix it myself and deduct it? Walk me through the safest way to do this.`,
    rag,
  ],
  ['easy', 'en', `${policy}\n\nWhat is the hotel limit in Oslo?`, rag],
  ['easy', 'en', `${policy}\n\nDo I need receipts for meals?`, rag],
  ['easy', 'de', `${policy}\n\nBis wann muss ich die Spesen einreichen? Kurz auf Deutsch bitte.`, rag],
  ['easy', 'nl', `${policy}\n\nMag ik een taxi nemen om 23:00 uur? Antwoord in het Nederlands.`, rag],
  ['easy', 'pt', `${policy}\n\nQual é o limite diário para refeições? Responde em português.`, rag],
  [
    'hard',
    'en',
    `${policy}\n\nI have a 7-hour trip to Lisbon with a private weekend added, a hotel at €175 for the work nights and €120 for the weekend, and I took a taxi at 21:30 because the metro was on strike. Work out what I can claim, line by line, and what I pay myself.`,
    rag,
  ],
  ['easy', 'de', `${faq}\n\nWie kann ich kündigen?`, rag],
  ['easy', 'de', `${faq}\n\nKann ich jederzeit in einen teureren Tarif wechseln?`, rag],
  ['easy', 'de', `${faq}\n\nWie lange kann ich meine Nummer nach Vertragsende noch mitnehmen?`, rag],
  ['easy', 'en', `${faq}\n\nWhat happens to my contract if I move? Answer in English.`, rag],
  ['easy', 'de', `${faq}\n\nWohin schicke ich eine Kündigung per Post?`, rag],
  [
    'hard',
    'de',
    `${faq}\n\nIch bin im 20. Monat, ziehe in zwei Monaten um, am neuen Ort gibt es nur einen langsameren Tarif, und ich will meine Nummer behalten und nicht doppelt zahlen. Was ist der günstigste Weg und welche Fristen muss ich in welcher Reihenfolge einhalten?`,
    rag,
  ],
  ['easy', 'fr', `${notice}\n\nÀ quelle heure commence l'assemblée ?`, rag],
  ['easy', 'fr', `${notice}\n\nQue faire si je ne peux pas venir ?`, rag],
  ['easy', 'fr', `${notice}\n\nQuels sont les points à l'ordre du jour ? Une liste suffit.`, rag],
  ['easy', 'en', `${notice}\n\nTranslate the date, time and place of the meeting into English.`, rag],
  ['easy', 'es', `${notice}\n\n¿Cuándo hay que pagar los gastos del segundo trimestre? En español, por favor.`, rag],
  [
    'hard',
    'fr',
    `${notice}\n\nLe devis de ravalement représente 9 400 € pour mon lot, je conteste la répartition des tantièmes et je soupçonne un conflit d'intérêts du syndic avec l'entreprise choisie. Comment m'opposer efficacement lors de l'AG et quels recours ai-je ensuite ?`,
    rag,
  ],
]);

// Legal, health and finance in everyday form: looking things up, wording, forms. Beside them
// short requests that need judgement in a risk domain.
export const riskEveryday = entries('risk-everyday', [
  ['easy', 'en', 'What is the difference between a solicitor and a barrister?', {}],
  ['easy', 'en', 'What does "force majeure" mean in a contract?', {}],
  ['easy', 'de', 'Was bedeutet "Widerrufsrecht" auf Englisch?', {}],
  ['easy', 'fr', 'Que veut dire « préavis » dans un bail ?', {}],
  ['easy', 'es', '¿Qué significa "finiquito"?', {}],
  ['easy', 'it', 'Cosa vuol dire "caparra confirmatoria"?', {}],
  ['easy', 'nl', 'Wat betekent "opzegtermijn"?', {}],
  ['easy', 'en', 'Write a short, polite email to my landlord asking when the boiler service is scheduled.', {}],
  ['easy', 'de', 'Schreib eine kurze Kündigung für mein Fitnessstudio-Abo zum nächstmöglichen Termin, Mitgliedsnummer 44821.', {}],
  ['easy', 'fr', 'Rédige un court courrier pour résilier mon abonnement internet à la fin du mois, contrat n° 55-2098.', {}],
  ['easy', 'es', 'Escribe un correo breve pidiendo a mi gestor el certificado de retenciones de 2025.', {}],
  ['easy', 'pt', 'Escreve um email curto a pedir à senhoria o recibo de renda de março.', {}],
  ['easy', 'en', 'Format this as a numbered list: passport, birth certificate, proof of address, two photos, fee receipt', {}],
  ['easy', 'en', 'What form do I use in the UK to register a change of address with the DVLA?', {}],
  ['easy', 'de', 'Wo beantrage ich in Deutschland einen neuen Personalausweis?', {}],
  ['easy', 'en', 'What is an ISA?', {}],
  ['easy', 'en', 'What does APR stand for?', {}],
  ['easy', 'de', 'Was ist der Unterschied zwischen Brutto und Netto beim Gehalt?', {}],
  ['easy', 'fr', "C'est quoi un PEA, en deux phrases ?", {}],
  ['easy', 'es', '¿Qué es el IBAN y dónde lo encuentro?', {}],
  ['easy', 'nl', 'Wat is het verschil tussen sparen en beleggen, in twee zinnen?', {}],
  ['easy', 'pl', 'Co to jest PIT-37?', {}],
  ['easy', 'en', 'Convert 2,340 EUR to a sentence for a cheque: "two thousand ..."', {}],
  ['easy', 'en', 'What is the normal body temperature in Celsius?', {}],
  ['easy', 'en', 'How do you spell "paracetamol" in German?', {}],
  ['easy', 'de', 'Wie viele Schritte am Tag werden oft empfohlen?', {}],
  ['easy', 'fr', 'Donne-moi une liste de courses pour une semaine de repas végétariens simples.', {}],
  ['easy', 'es', '¿Cuál es el teléfono de emergencias en España?', {}],
  ['easy', 'it', "Scrivi un messaggio breve al medico di base per chiedere la ricetta dell'antistaminico che prendo già.", {}],
  ['easy', 'nl', 'Schrijf een kort berichtje aan de tandarts om mijn afspraak van dinsdag te verzetten.', {}],
  ['easy', 'en', 'Which vitamins are in a banana?', {}],
  ['easy', 'pt', 'O que quer dizer "jejum" numa análise ao sangue?', {}],
  ['hard', 'en', 'Can my employer fire me for being pregnant if I am still on probation?', {}],
  ['hard', 'en', 'Is a verbal agreement to sell my car binding if the buyer already paid a deposit?', {}],
  ['hard', 'de', 'Muss ich die Nebenkostennachzahlung von 1.900 € zahlen, wenn die Abrechnung 14 Monate zu spät kam?', {}],
  ['hard', 'fr', 'Mon employeur peut-il refuser ma rupture conventionnelle et me muter à 300 km ?', {}],
  ['hard', 'es', '¿Puedo reclamar si el banco me cobró una comisión de descubierto que no aparece en el contrato?', {}],
  ['hard', 'it', "Il mio ex non paga l'assegno per i figli da quattro mesi: cosa posso fare?", {}],
  ['hard', 'nl', 'Mag mijn werkgever mijn loon inhouden omdat ik een laptop heb laten vallen?', {}],
  ['hard', 'en', 'Should I pay off my 4% mortgage early or put the money into my pension?', {}],
  ['hard', 'en', 'I inherited 80k. I have 12k of card debt at 24% and no emergency fund. What should I do with it?', {}],
  ['hard', 'de', 'Lohnt sich für mich mit 58 noch eine Riester-Rente oder lieber ETF?', {}],
  ['hard', 'fr', 'Dois-je déclarer en France les loyers de mon appartement au Portugal ?', {}],
  ['hard', 'es', 'Soy autónomo y facturo a un cliente alemán: ¿llevo IVA o no?', {}],
  ['hard', 'en', 'My toddler swallowed a button battery an hour ago and seems fine. Do we need to go in?', {}],
  ['hard', 'en', 'Is chest tightness after climbing stairs normal at 52?', {}],
  ['hard', 'de', 'Kann ich Johanniskraut zusammen mit der Pille nehmen?', {}],
  ['hard', 'fr', 'Mon père de 80 ans confond les jours depuis une semaine, est-ce urgent ?', {}],
  ['hard', 'es', '¿Puedo dar ibuprofeno a mi perro para el dolor?', {}],
  ['hard', 'it', 'Ho la glicemia a digiuno a 118 da tre esami, cosa significa?', {}],
  ['hard', 'nl', 'Mijn zoon van 15 wil creatine gebruiken voor voetbal. Is dat verstandig?', {}],
  ['hard', 'pt', 'Posso beber álcool enquanto tomo metronidazol?', {}],
  ['hard', 'pl', 'Czy mogę odliczyć ulgę na dzieci, jeśli byłem za granicą pół roku?', {}],
]);

// Reformatting and light writing on pasted material: long in, easy all the same.
const minutes = `notes from call w/ supplier 3/4
- price up 6% from june unless we commit to 12 months
- they can do weekly deliveries instead of biweekly, no extra cost
- new contact person is Femke (femke@supplier.example), Jan leaves end of month
- samples of the recycled packaging will arrive next week
- they asked for our forecast for Q3 by friday
- invoice 3318 was paid twice, they will credit it on the next one`;
const csvish = `name;city;signup;plan
Anna Berg;Malmö;2026-01-04;pro
Luis Ortega;Sevilla;2026-01-09;free
Chloé Martin;Lille;2026-01-11;pro
Tomasz Nowak;Kraków;2026-01-15;team
Jeroen Smit;Utrecht;2026-01-19;free`;

export const formatting = entries('formatting', [
  ['easy', 'en', `Turn these notes into a clean bulleted summary for my manager:\n\n${minutes}`, {}],
  ['easy', 'en', `List only the action items from these notes, each with an owner if known:\n\n${minutes}`, {}],
  ['easy', 'de', `Übersetze diese Notizen ins Deutsche, gleiche Stichpunkte:\n\n${minutes}`, {}],
  ['easy', 'fr', `Fais de ces notes un court e-mail à l'équipe, en français :\n\n${minutes}`, {}],
  ['easy', 'es', `Pon estas notas en una tabla con dos columnas, tema y detalle:\n\n${minutes}`, {}],
  ['easy', 'nl', `Maak van deze aantekeningen een korte mail aan het team, in het Nederlands:\n\n${minutes}`, {}],
  ['easy', 'en', `Convert this to a Markdown table:\n\n${csvish}`, {}],
  ['easy', 'en', `Convert this to JSON, one object per row:\n\n${csvish}`, {}],
  ['easy', 'de', `Sortiere diese Liste nach Anmeldedatum absteigend und gib sie als Tabelle aus:\n\n${csvish}`, {}],
  ['easy', 'it', `Quanti utenti hanno il piano pro? Solo il numero.\n\n${csvish}`, {}],
  ['easy', 'pl', `Zamień to na listę: imię – miasto.\n\n${csvish}`, {}],
  ['easy', 'pt', `Converte para CSV com vírgulas em vez de ponto e vírgula:\n\n${csvish}`, {}],
  ['easy', 'en', 'Capitalise each word: "the quick guide to home composting for small gardens"', {}],
  ['easy', 'en', 'Put these in alphabetical order: kiwi, apple, mango, banana, cherry, fig', {}],
  ['easy', 'de', 'Mach aus diesem Satz drei Stichpunkte: Wir treffen uns um 9, bringen Laptops mit und fahren um 12 zusammen zum Kunden.', {}],
  ['easy', 'fr', 'Corrige l’orthographe : « Je vous envoie ci-joint les document demander hier. »', {}],
  ['easy', 'es', 'Pasa esta fecha a formato ISO: 3 de febrero de 2026, 14:30', {}],
  ['easy', 'en', 'Rewrite this in a friendlier tone: "Your request has been denied. Do not contact us again about this."', {}],
  ['easy', 'en', 'Shorten to under 20 words: "We wanted to let you know that due to unforeseen circumstances our office will remain closed on Monday."', {}],
  ['easy', 'nl', 'Maak een titel van maximaal zes woorden voor een blog over fietsen in de winter.', {}],
  [
    'hard',
    'en',
    `From these notes, draft a reply to the supplier that accepts weekly deliveries, pushes back on the 6% increase with a counter-offer tied to a 6-month commitment, confirms the double payment credit, and keeps the relationship warm, under 150 words, no promises on the Q3 forecast:\n\n${minutes}`,
    {},
  ],
  [
    'hard',
    'de',
    `Schreib aus diesen Notizen eine Verhandlungsstrategie für das nächste Gespräch: unsere Ziele, ihre vermutlichen Ziele, drei Szenarien mit Zugeständnissen und wo unsere rote Linie liegt.\n\n${minutes}`,
    {},
  ],
]);

// Short code questions: technical words, small answers.
export const shortCode = entries('short-code', [
  ['easy', 'en', 'How do I reverse a list in Python?', {}],
  ['easy', 'en', 'What does `git stash pop` do?', {}],
  ['easy', 'en', 'How do I get the length of an array in JavaScript?', {}],
  ['easy', 'de', 'Wie kommentiere ich in SQL eine Zeile aus?', {}],
  ['easy', 'fr', 'Comment afficher la version de Node installée ?', {}],
  ['easy', 'es', '¿Cómo creo un entorno virtual en Python?', {}],
  ['easy', 'it', 'Come si rinomina un branch in git?', {}],
  ['easy', 'nl', 'Hoe maak ik in CSS tekst vetgedrukt?', {}],
  ['easy', 'pt', 'Como faço para listar os ficheiros ocultos no terminal?', {}],
  ['easy', 'pl', 'Jak w Pythonie zamienić string na liczbę całkowitą?', {}],
  ['easy', 'en', 'What is the difference between `let` and `const`?', {}],
  ['easy', 'en', 'Convert this to an arrow function: function add(a, b) { return a + b; }', {}],
  ['easy', 'en', 'What HTTP status code means "not found"?', {}],
  ['easy', 'en', 'Format this JSON nicely: {"a":1,"b":[1,2,3],"c":{"d":"x"}}', {}],
  ['easy', 'de', 'Was ist ein Docker-Image, in einem Satz?', {}],
  ['easy', 'en', 'Regex for a 5-digit US zip code?', {}],
  ['easy', 'en', 'How do I center a div horizontally?', {}],
  ['easy', 'fr', 'Quelle commande pour supprimer un conteneur Docker arrêté ?', {}],
  ['easy', 'es', '¿Qué significa el error 403?', {}],
  ['easy', 'en', 'Translate this error message into plain English: "EADDRINUSE: address already in use :::3000"', {}],
  ['hard', 'en', 'Why does my Node service leak memory only under HTTP/2 with keep-alive, and how would you find the cause?', {}],
  ['hard', 'en', 'Design a rate limiter that is fair per tenant, survives a node restart and needs no central lock.', {}],
  ['hard', 'de', 'Wie migriere ich eine 2-TB-Postgres-Tabelle auf eine neue Partitionierung ohne Ausfallzeit?', {}],
  ['hard', 'fr', "Pourquoi mon verrou Redis perd-il parfois l'exclusivité quand le réseau est lent ?", {}],
  ['hard', 'es', 'Tengo un deadlock intermitente entre dos transacciones que actualizan las mismas filas en orden distinto. ¿Cómo lo arreglo sin perder rendimiento?', {}],
  ['hard', 'en', 'Write a function that merges overlapping intervals in O(n log n), handles open and closed ends, and never allocates inside the loop.', {}],
  ['hard', 'it', 'Come garantisco la consegna exactly-once tra Kafka e un database senza transazioni distribuite?', {}],
  ['hard', 'nl', 'Mijn React-app rendert bij elke toetsaanslag de hele lijst van 10.000 rijen opnieuw. Hoe los ik dat structureel op?', {}],
]);

// Short requests that are hard all the same: a proof, a tricky estimate, a one-line design or
// judgement. Their length says "easy"; their ask does not.
export const shortHard = entries('short-hard', [
  ['hard', 'en', 'Prove that there is no largest prime.', {}],
  ['hard', 'de', 'Beweise, dass √3 irrational ist.', {}],
  ['hard', 'fr', 'Démontre que la somme des angles d’un triangle vaut 180°.', {}],
  ['hard', 'es', 'Demuestra que n³ − n es divisible por 6.', {}],
  ['hard', 'it', 'Dimostra che ogni numero primo maggiore di 3 è della forma 6k ± 1.', {}],
  ['hard', 'nl', 'Bewijs dat er oneindig veel priemgetallen zijn.', {}],
  ['hard', 'en', 'Is it possible to tile a chessboard with two opposite corners removed using dominoes? Why?', {}],
  ['hard', 'pt', 'Prova que a raiz quadrada de 5 é irracional.', {}],
  ['hard', 'en', 'Estimate how many piano tuners work in Berlin, showing your assumptions.', {}],
  ['hard', 'pl', 'Udowodnij, że suma dwóch liczb nieparzystych jest parzysta, i wyjaśnij dlaczego to działa.', {}],
  ['hard', 'en', 'Which is bigger, 2^100 or 3^63, and how do you know without a calculator?', {}],
  ['hard', 'de', 'Soll ich mein Startup als GmbH oder UG gründen, wenn ich 2026 zwei Mitarbeiter einstellen will?', {}],
  ['easy', 'en', 'What is 15% of 80?', {}],
  ['easy', 'de', 'Was ist die Wurzel aus 144?', {}],
  ['easy', 'fr', 'Combien font 7 fois 8 ?', {}],
  ['easy', 'es', '¿Cuántos minutos hay en 3 horas?', {}],
  ['easy', 'it', 'Quanto fa 250 diviso 5?', {}],
  ['easy', 'nl', 'Hoeveel is 12 procent van 250?', {}],
]);

// Everyday writing with light requirements, and personal messages that touch a risk domain
// without asking for a judgement (booking, forwarding, wording): easy. Beside them writing
// that is hard because of what is at stake, not because of its length.
export const everydayWriting = entries('everyday-writing', [
  ['easy', 'en', 'Write a two-line message to my doctor’s office asking to move my appointment from Tuesday to Thursday.', {}],
  ['easy', 'de', 'Schreib eine kurze Nachricht an meine Hausärztin, dass ich das Rezept für mein Blutdruckmittel abholen möchte.', {}],
  ['easy', 'fr', 'Écris un petit mot pour prévenir mon propriétaire que je serai absent pendant les travaux jeudi.', {}],
  ['easy', 'es', 'Escribe un mensaje corto a mi casero para decirle que la transferencia del alquiler llegará el lunes.', {}],
  ['easy', 'it', 'Scrivi una breve email al mio commercialista per inviargli le ricevute delle spese mediche.', {}],
  ['easy', 'nl', 'Schrijf een kort berichtje aan mijn werkgever dat ik vandaag ziek thuis blijf.', {}],
  ['easy', 'pt', 'Escreve uma mensagem curta ao meu senhorio a avisar que a máquina de lavar avariou.', {}],
  ['easy', 'pl', 'Napisz krótką wiadomość do lekarza, że chcę przełożyć wizytę na przyszły tydzień.', {}],
  ['easy', 'en', 'My bank’s address is 10 Lower Thames Street, London EC3R 6AF. Format it for an envelope.', {}],
  ['easy', 'en', 'Turn this into a polite reminder: "you still owe me 40 quid for the concert tickets"', {}],
  ['easy', 'de', 'Formuliere das höflicher: "Die Miete ist schon wieder zu spät, das geht so nicht."', {}],
  ['easy', 'fr', 'Traduis en anglais : « Je prends ce médicament deux fois par jour. »', {}],
  ['easy', 'es', 'Traduce al inglés: "Mi seguro médico cubre la consulta".', {}],
  ['easy', 'en', 'Write a caption for an Instagram photo of my sourdough, max 15 words, one emoji.', {}],
  ['easy', 'en', 'Write a birthday message for my colleague Mia, warm but not cheesy, two sentences.', {}],
  ['easy', 'de', 'Schreib eine Einladung zum Sommerfest im Hof, Samstag 15 Uhr, jeder bringt etwas mit.', {}],
  ['easy', 'fr', 'Écris une annonce pour vendre mon vélo de ville, 150 €, bon état, à Nantes.', {}],
  ['easy', 'es', 'Escribe una descripción de producto para una taza de cerámica hecha a mano, 40 palabras.', {}],
  ['easy', 'it', 'Scrivi un messaggio di ringraziamento ai vicini per averci innaffiato le piante.', {}],
  ['easy', 'nl', 'Schrijf een korte out-of-office: weg tot 12 augustus, voor spoed mail naar Sanne.', {}],
  ['easy', 'pt', 'Escreve um convite curto para um jantar de aniversário no sábado às 20h.', {}],
  ['easy', 'en', 'Give me five names for a neighbourhood book club.', {}],
  ['easy', 'en', 'Write a short LinkedIn post announcing that I joined Brightwell as a data analyst.', {}],
  ['easy', 'en', 'Proofread: "Their going to send the the documents tomorow."', {}],
  [
    'hard',
    'en',
    'Help me write to my sister that I will not lend her money again after she did not pay back the last 3,000, without ending our relationship; she is going through a divorce.',
    {},
  ],
  [
    'hard',
    'de',
    'Hilf mir, meiner Chefin zu schreiben, dass ich wegen einer Depression eine Auszeit brauche, ohne zu viel preiszugeben und ohne meine Beförderung zu gefährden.',
    {},
  ],
  [
    'hard',
    'fr',
    'Aide-moi à répondre à un client qui menace de porter plainte après une erreur de notre part, en reconnaissant les faits sans admettre de responsabilité juridique.',
    {},
  ],
  ['hard', 'es', 'Escribe el comunicado a la plantilla anunciando 40 despidos, con empatía, sin prometer nada que no podamos cumplir y respetando lo pactado con el comité.', {}],
  [
    'hard',
    'en',
    'Write the email telling a customer their data was exposed in our breach: what happened, what we do, what they should do, no legal admissions, under 250 words.',
    {},
  ],
  ['hard', 'nl', 'Help me een brief te schrijven aan de bezwaarcommissie van de gemeente tegen de WOZ-waarde van mijn huis, met argumenten uit vergelijkbare verkopen.', {}],
]);

// Short code tasks that look technical but are routine, and short-looking ones that are not.
export const routineCode = entries('routine-code', [
  ['easy', 'en', 'Write a Python function that returns the even numbers of a list.', {}],
  ['easy', 'en', 'SQL to count orders per customer from a table orders(customer_id, id).', {}],
  ['easy', 'de', 'Schreib eine JavaScript-Funktion, die einen String umdreht.', {}],
  ['easy', 'fr', 'Écris une requête SQL qui sélectionne les clients de Lyon.', {}],
  ['easy', 'es', 'Escribe un bucle en Python que imprima los números del 1 al 10.', {}],
  ['easy', 'it', 'Scrivi una funzione JavaScript che somma due numeri.', {}],
  ['easy', 'nl', 'Schrijf een bash-commando dat alle .log-bestanden in deze map telt.', {}],
  ['easy', 'pt', 'Escreve uma função em Python que verifica se um número é par.', {}],
  ['easy', 'en', 'Add type hints to: def greet(name): return "Hi " + name', {}],
  ['easy', 'en', 'What does this do? [x * 2 for x in range(5)]', {}],
  ['easy', 'en', 'Rename the variable `tmp` to `total` in: let tmp = 0; for (const x of xs) tmp += x;', {}],
  ['easy', 'de', 'Was bedeutet `chmod 755`?', {}],
  ['easy', 'en', 'Write a .gitignore for a Node project.', {}],
  ['easy', 'en', 'Convert this curl to a fetch call: curl -X POST https://api.example/v1/items -d \'{"a":1}\'', {}],
  [
    'hard',
    'en',
    'Write a Python function that parses ISO 8601 durations (P1Y2M10DT2H30M, weeks, fractions) without libraries, rejects invalid input with a clear error, and is fully tested.',
    {},
  ],
  ['hard', 'de', 'Schreib einen LRU-Cache in TypeScript mit TTL pro Eintrag, O(1) für get und set, und ohne Timer pro Eintrag.', {}],
  ['hard', 'fr', "Écris une requête SQL qui calcule la rétention mensuelle par cohorte d'inscription, avec les mois sans activité à zéro.", {}],
  ['hard', 'es', 'Implementa un parser de expresiones aritméticas con precedencia, paréntesis y menos unario, sin usar eval.', {}],
  ['hard', 'en', 'Our Postgres query plan flips to a seq scan once the table passes 5M rows. Why, and what are the options?', {}],
  ['hard', 'it', 'Scrivi uno script che sincronizza due cartelle in modo incrementale, gestendo rinomine e conflitti.', {}],
]);
