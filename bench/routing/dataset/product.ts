import { entries } from './entry.js';

// The in-product calls of a typical app: the shop's chat widget classifies intents, the help desk
// triages and tags tickets, reviews and comments are pre-moderated, search queries are cleaned up,
// UI strings are translated, bank transactions and addresses are normalised, notes are turned into
// to-dos, and so on. Each feature has its own fixed system prompt (often a JSON schema) and wraps a
// short piece of user text: high volume, mostly short, mostly easy. This is the bulk of real
// production traffic, unlike the showcase tasks of the other categories. `repeat` models the
// identical calls apps send many times (the same button label translated again, the same
// "where is my order", the same spam comment posted by a bot).

// Chat widget of the web shop: intent classification before the bot answers or hands over.
const intentSchema = {
  name: 'chat_intent',
  schema: {
    type: 'object',
    properties: {
      intent: {
        type: 'string',
        enum: [
          'order_status',
          'cancel_order',
          'change_order',
          'return_refund',
          'product_question',
          'size_advice',
          'stock_availability',
          'payment',
          'discount_code',
          'shipping_info',
          'complaint',
          'talk_to_human',
          'greeting',
          'other',
        ],
      },
      orderNumber: { type: ['string', 'null'] },
    },
    required: ['intent', 'orderNumber'],
    additionalProperties: false,
  },
};
const intent = {
  system:
    "You route messages typed into the chat widget of the Nordhaven Outdoor web shop. Classify the customer's message into exactly one intent; the bot answers order_status, shipping_info, size_advice and stock_availability itself and hands everything else to the matching team. Customers write in any language. Return the order number (5 digits) if one is mentioned, else null.",
  schema: intentSchema,
  maxTokens: 40,
};

// Help desk: every incoming email is tagged before it enters the queue.
const triageSchema = {
  name: 'ticket_triage',
  schema: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: ['billing', 'shipping', 'returns', 'product_defect', 'account', 'privacy', 'legal', 'safety', 'feedback', 'other'] },
      priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
      language: { type: 'string', description: 'ISO 639-1 code' },
    },
    required: ['category', 'priority', 'language'],
    additionalProperties: false,
  },
};
const triage = {
  system: `You triage emails sent to help@nordhaven.example before they enter the help-desk queue. Pick the single category the team should handle it under, and a priority:
- urgent: a risk to someone's safety, a legal threat, or personal data that reached the wrong person
- high: money charged wrongly, a lost order, or a deadline within 48 hours
- normal: anything else that needs an action from us
- low: feedback, auto-replies and questions without a deadline
Also return the language of the email as an ISO 639-1 code.`,
  schema: triageSchema,
};

// Pre-moderation of product reviews and forum comments.
const moderationSchema = {
  name: 'moderation',
  schema: {
    type: 'object',
    properties: { verdict: { type: 'string', enum: ['allow', 'review', 'reject'] }, reason: { type: 'string' } },
    required: ['verdict', 'reason'],
    additionalProperties: false,
  },
};
const moderation = {
  system:
    "You pre-moderate product reviews and forum comments on nordhaven.example before they are published. Verdicts: allow = publish; reject = spam, advertising, hate, harassment, threats, sexual content or someone's personal data; review = unclear, a human moderator decides. Negative opinions about products, prices or the shop are allowed, including harsh ones. Give a one-sentence reason in English.",
  schema: moderationSchema,
};

// "What customers say" box on the product page.
const reviewSummary = {
  system:
    'Summarise the customer review in one short sentence (at most 15 words) for the "What customers say" box on the product page. Write in the language of the review, neutral tone, no quotation marks.',
  maxTokens: 60,
};

// Merchandisers fill in attributes in the shop backend and press "Generate description".
const productCopy = {
  system:
    'You write product descriptions for the Nordhaven Outdoor web shop from the attributes the merchandiser enters. 2-3 sentences, at most 60 words, concrete and friendly, no superlatives, no claims that are not in the attributes, no emojis. Write in the language of the attributes.',
};

// Newsletter tool: the "Suggest subject lines" button.
const subjectLines = {
  system:
    'You are the subject line assistant in Postfeld, an email newsletter tool. Suggest 5 subject lines for the campaign the user describes, each under 50 characters, one per line, no numbering, no quotation marks. Use the language of the description; at most one emoji in total.',
  maxTokens: 120,
};

// Shop search box: the query is cleaned up before it goes to the product search.
const searchSchema = {
  name: 'search_query',
  schema: {
    type: 'object',
    properties: {
      query: { type: 'string' },
      size: { type: ['string', 'null'] },
      colour: { type: ['string', 'null'] },
      maxPrice: { type: ['number', 'null'] },
    },
    required: ['query', 'size', 'colour', 'maxPrice'],
    additionalProperties: false,
  },
};
const search = {
  system:
    "You clean up what customers type into the search box of the Nordhaven Outdoor shop before it goes to the product search. Correct spelling, expand abbreviations, keep brand and model names, keep the customer's language. Move a size, a colour or a maximum price into their own fields (null if absent) and leave them out of the query.",
  schema: searchSchema,
  maxTokens: 60,
};

// Inline suggestions in an email composer.
const autocomplete = {
  system:
    "You power the inline suggestions in the Postfeld email composer. Continue the user's text with the most likely next few words (at most 8). Return only the continuation, without repeating the text and without quotation marks.",
  maxTokens: 16,
};

// "Fix spelling & grammar" button of a text field.
const grammar = {
  system:
    'Correct the spelling, grammar and punctuation of the text. Keep its language, meaning, tone and line breaks; do not rephrase what is already correct. Return only the corrected text.',
};

// Tone buttons under a message field.
const politer = {
  system:
    'The user clicked "Make it more polite". Rewrite their message so it sounds polite and friendly but stays direct. Keep the facts, the language and roughly the length. Return only the rewritten message.',
};
const shorter = {
  system:
    'The user clicked "Make it shorter". Rewrite their message as concisely as possible without losing any fact, date or request. Keep the language. Return only the rewritten message.',
};

// Localisation pipeline: one UI string per call, target language in the system prompt.
const ui = (language: string) => ({
  system: `You translate UI strings of the Nordhaven Outdoor app and web shop into ${language}. Keep placeholders such as {name} or {count}, ICU plural syntax and HTML tags exactly as they are. Keep it as short as the source; button labels must fit in 20 characters. Use the informal form of address where the language has one. Return only the translation.`,
});
const toDe = ui('German');
const toFr = ui('French');
const toEs = ui('Spanish');
const toIt = ui('Italian');
const toNl = ui('Dutch');
const toPt = ui('European Portuguese');
const toPl = ui('Polish');
const toSv = ui('Swedish');
const toEn = ui('British English');

// Help desk: language detection to route to the right team.
const detectSchema = {
  name: 'language',
  schema: {
    type: 'object',
    properties: { language: { type: 'string', description: 'ISO 639-1 code of the main language' }, mixed: { type: 'boolean' } },
    required: ['language', 'mixed'],
    additionalProperties: false,
  },
};
const detect = {
  system:
    "Detect the language of the customer's message so the help desk can route it to the right team. Return the ISO 639-1 code of the main language and whether the message mixes languages.",
  schema: detectSchema,
  maxTokens: 20,
};

// Magazine CMS: tag suggestions for a paragraph.
const tagsSchema = {
  name: 'tags',
  schema: {
    type: 'object',
    properties: { tags: { type: 'array', items: { type: 'string' } } },
    required: ['tags'],
    additionalProperties: false,
  },
};
const tagging = {
  system:
    'You suggest tags for articles in the CMS of Fjell, an outdoor and travel magazine. Return 3 to 8 tags for the paragraph: lowercase, in the paragraph\'s language, places and activities first, no generic words like "article" or "travel".',
  schema: tagsSchema,
};

// Budgeting app: categorise each booked transaction.
const transactionSchema = {
  name: 'transaction_category',
  schema: {
    type: 'object',
    properties: {
      category: {
        type: 'string',
        enum: [
          'groceries',
          'restaurants',
          'transport',
          'fuel',
          'housing',
          'utilities',
          'insurance',
          'subscriptions',
          'shopping',
          'travel',
          'health',
          'income',
          'transfers',
          'cash',
          'fees',
          'other',
        ],
      },
      merchant: { type: 'string' },
    },
    required: ['category', 'merchant'],
    additionalProperties: false,
  },
};
const transactions = {
  system:
    'You categorise bank transactions in Kassenbuch, a budgeting app. You get the booking text as the bank sends it, the amount (negative = money out) and sometimes more context. Pick exactly one category and return a clean merchant or counterparty name as a person would write it.',
  schema: transactionSchema,
};

// Checkout: the typed delivery address is split into carrier-label fields.
const addressSchema = {
  name: 'postal_address',
  schema: {
    type: 'object',
    properties: {
      recipient: { type: ['string', 'null'] },
      street: { type: 'string' },
      houseNumber: { type: ['string', 'null'] },
      addition: { type: ['string', 'null'], description: 'flat, floor, c/o' },
      postcode: { type: ['string', 'null'] },
      city: { type: 'string' },
      country: { type: 'string', description: 'ISO 3166-1 alpha-2' },
    },
    required: ['recipient', 'street', 'houseNumber', 'addition', 'postcode', 'city', 'country'],
    additionalProperties: false,
  },
};
const address = {
  system:
    'Normalise the delivery address the customer typed at checkout into the fields of the carrier label. Fix capitalisation and obvious typos in street and city names, but do not invent anything: use null for a missing field. Country as ISO 3166-1 alpha-2; if it is not given, infer it from the postcode format and the city.',
  schema: addressSchema,
};

// Notes app: "Create to-dos from this note".
const actionsSchema = {
  name: 'action_items',
  schema: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: { task: { type: 'string' }, owner: { type: ['string', 'null'] }, due: { type: ['string', 'null'] } },
          required: ['task', 'owner', 'due'],
          additionalProperties: false,
        },
      },
    },
    required: ['items'],
    additionalProperties: false,
  },
};
const actionItems = {
  system:
    'You turn a meeting note from the Notiz app into a to-do list. Extract every action item that is still open: the task as a short imperative, the owner as named in the note (null if nobody is named) and the due date as written (null if none). Return an empty list when there is nothing to do.',
  schema: actionsSchema,
};

// Help widgets: the app retrieves one FAQ entry and asks for a short answer from it.
const faq = (product: string, snippet: string) => ({
  system: `You answer questions in the help widget of ${product}. Answer in one to three sentences, in the customer's language, using only the FAQ entry below. If it does not answer the question, say so and suggest contacting support.\n\nFAQ entry:\n${snippet}`,
});
const faqShipping = faq(
  'the Nordhaven Outdoor web shop',
  'Delivery to Austria: 3-5 working days by DHL. Shipping costs EUR 5.90, free from an order value of EUR 60. Express delivery is not available to Austria.',
);
const faqGym = faq(
  'the Kraftwerk Fitness app',
  'Mitgliedschaft kündigen: Kündige in der App unter Profil > Mitgliedschaft > Kündigen. Die Kündigung ist mit 14 Tagen Frist zum Monatsende möglich. Im Tarif Flex 6 gilt eine Mindestlaufzeit von 6 Monaten; vorher ist eine Kündigung nur zum Ende der Mindestlaufzeit möglich. Bereits bezahlte Monate werden nicht anteilig erstattet.',
);
const faqMealKit = faq(
  'Les Paniers de Léa',
  "Modifier ou annuler un panier : vous pouvez modifier ou annuler votre panier jusqu'au mercredi 23h59 pour une livraison la semaine suivante. Passé ce délai, le panier est préparé et facturé.",
);
const faqDiscounts = faq(
  'the Nordhaven Outdoor web shop',
  'Student discount: 10% off full-price items for students verified via UNiDAYS; it does not apply to sale items and cannot be combined with vouchers. Newsletter voucher: CHF 15 / EUR 15 off orders from CHF 100 / EUR 100, valid on sale items too. Switzerland: shipping CHF 9.90, free from CHF 120; the threshold is checked on the order value after all discounts. Swiss import VAT (8.1%) and a carrier handling fee are charged on delivery.',
);

// The longer texts of the hard cases.
const legalAndPrivacy = `Betreff: LETZTE FRIST – Bestellung 47310 / Datenschutz

Sehr geehrte Damen und Herren,

seit sechs Wochen warte ich auf die Erstattung für das mangelhafte Zelt (Reklamation vom 28.04., Ihr Zeichen CS-22817). Ich habe die Sache inzwischen meinem Anwalt übergeben; geht bis zum 20.06. keine Erstattung über 349 € ein, reicht er Klage ein.

Außerdem ist Ihre Versandbestätigung offenbar an eine fremde E-Mail-Adresse gegangen: Gestern rief mich eine mir unbekannte Person an, die meinen Namen, meine Anschrift und den Inhalt der Bestellung kannte. Ich verlange nach Art. 15 DSGVO Auskunft, welche Daten Sie über mich speichern und an wen sie gegangen sind, und danach die Löschung – mit Ausnahme dessen, was für das Verfahren nötig ist.

Ich erwarte eine schriftliche Bestätigung.
Dr. Helga Vogt`;
const headlamp =
  "hi, not a big deal but the battery cover on the kids headlamp (Lumo Mini, order 49921) is warped now. it got really hot while charging overnight on my daughters bed and the plastic smelled kind of melted, she's fine tho. can you just send a new cover? dont need a refund. cheers, Dan";
const veiledThreat =
  'Five stars for the customer service 🙂 Jens in your returns team told me "policy is policy" three times. Funny thing, I drive past your warehouse on Am Sandtorkai every evening around 6 when the staff leave, and a blue Golf is easy to spot. Maybe I\'ll stop by and explain my refund to him in person. Have a great day!';
const forumReply = `Forum thread "Zugspitze im Januar – als Anfänger machbar?", reply by user bergfex77 to the thread starter:

Klar, geh am besten allein, in Turnschuhen und ohne jemandem Bescheid zu sagen. Die Bergwacht freut sich über Beschäftigung, und das Forum hätte ein Problem weniger 🙂`;
const conflictingCopy = `Product intro for the Lyra 2 UL tent, for the UK and DE shops.

Marketing wants: max 45 words; must use the words "ultralight" and "storm-proof"; lead with the 1.1 kg weight; playful tone, one exclamation mark is fine.
Legal says: we may not claim "storm-proof" or "waterproof" (certified only to 3,000 mm hydrostatic head, wind-tested to 60 km/h); 1.1 kg is the minimum trail weight without pegs, stuff sack and footprint - if any weight is quoted, the packed weight of 1.38 kg must be quoted as well.
Brand guide: no superlatives, British English, no exclamation marks in headline copy.

Also write the German version under the same rules, Sie-form. Neither version may exceed 300 characters. Where the constraints conflict, resolve them and list in one line per conflict what you changed.`;
const holidayFlat = `Buchungstext: PP.9382.PP . OSTSEEBLICK GBR, Ihr Einkauf bei OSTSEEBLICK GBR
Betrag: -1.199,00 EUR
Datum: 02.06.
Notiz des Nutzers: "anzahlung fewo"
Weitere Buchungen dieses Monats: 01.06. Hausverwaltung Krüger, Miete Juni -1.050,00 EUR; 01.06. DB Fernverkehr Hamburg-Rostock -89,90 EUR; 28.05. Gehalt Nordhaven Outdoor GmbH +2.841,33 EUR
Der Empfänger kommt in früheren Buchungen nicht vor.`;
const weeklyNote = `Weekly 10.06.
- Tom übernimmt das Q3 deck. edit: nope, Priya does the deck, Tom nur review bis Do
- Webinar-Thema gestrichen (siehe Slack)
- Lena: Angebot an Brandt raus, aber erst nachdem Kai die Preise gecheckt hat (Kai bis Mi)
- Catering Sommerfest: ich (Marta) kümmere mich – actually Jonas hat das schon gebucht, er leitet nur noch die Rechnung an die Buchhaltung weiter
- nächster Termin 17.06.`;

export const product = entries('product', [
  // Intent classification (chat widget)
  ['easy', 'en', 'where is my order', { ...intent, repeat: 6 }],
  ['easy', 'en', 'hi', { ...intent, repeat: 6 }],
  ['easy', 'de', 'wo ist meine bestellung', { ...intent, repeat: 5 }],
  ['easy', 'en', 'can i talk to a real person please', { ...intent, repeat: 4 }],
  ['easy', 'fr', 'Bonjour', { ...intent, repeat: 3 }],
  ['easy', 'es', 'quiero devolver unas zapatillas que me quedan pequeñas', intent],
  ['easy', 'de', 'gutscheincode SOMMER20 funktioniert nicht', { ...intent, repeat: 2 }],
  ['easy', 'pl', 'gdzie jest moje zamówienie?', { ...intent, repeat: 2 }],
  ['easy', 'nl', 'hoi, wanneer komt mijn pakketje? bestelnummer 50123', intent],
  ['easy', 'it', "posso cambiare l'indirizzo di consegna? ordine 49002", intent],
  ['easy', 'en', 'is the lyra 2 big enough for me + my gf + dog? im 1,92m', intent],
  ['easy', 'en', 'i dont want to cancel, i just want to change the adress. if its already shipped then cancel it pls. order 51877', intent],
  ['easy', 'de', 'ihr seid echt das letzte, 3 wochen warte ich schon 😡😡', intent],
  ['easy', 'pt', 'vocês entregam em Portugal?', intent],
  ['easy', 'en', '👍', { ...intent, repeat: 3 }],

  // Ticket triage (help desk)
  ['easy', 'en', 'Subject: wrong colour\n\nHi, order #51233 arrived today but I ordered the Alva fleece in navy and got black. Can you send the right one? Thanks, Mark', triage],
  [
    'easy',
    'de',
    'Betreff: Rückerstattung\n\nSehr geehrte Damen und Herren,\nich habe am 12.05. zwei Artikel zurückgeschickt (Sendungsnummer 00340434161234567890) und bis heute kein Geld erhalten. Bitte um Prüfung.\n\nMit freundlichen Grüßen\nKatrin Brandt',
    triage,
  ],
  ['easy', 'fr', "Bonjour, je n'arrive plus à me connecter, le code de double authentification n'arrive jamais par SMS. Merci de m'aider.", triage],
  ['easy', 'es', 'Hola, el pedido 50412 lleva 12 días sin moverse en el seguimiento. ¿Se ha perdido? Lo necesito para un viaje el sábado.', triage],
  ['easy', 'it', 'La cerniera della giacca si è rotta dopo due settimane. Ordine 49877, allego le foto.', triage],
  ['easy', 'pl', 'Dzień dobry, proszę o fakturę VAT na firmę do zamówienia 50877. NIP: 5261040828. Pozdrawiam, Tomasz Nowak', triage],
  ['easy', 'sv', 'Hej! Jag fick fel storlek på kängorna (beställde 44, fick 42). Hur gör jag för att byta? /Erik', triage],
  ['easy', 'nl', 'Hoi, kunnen jullie mijn account en gegevens verwijderen? Ik gebruik het niet meer. Groet, Sanne', triage],
  ['easy', 'en', 'I am out of the office until Monday 3 June with limited access to email. For urgent matters please contact purchasing@keller.example.', { ...triage, repeat: 4 }],
  ['hard', 'de', legalAndPrivacy, triage],
  ['hard', 'en', headlamp, triage],

  // Moderation (reviews and forum comments)
  ['easy', 'en', 'BEST CHEAP RAY-BAN SUNGLASSES 90% OFF!!! visit www.cheap-shades-outlet.example', { ...moderation, repeat: 6 }],
  ['easy', 'en', 'earn 500% in 7 days with crypto 🚀🚀 dm me on telegram @fastprofit_88', { ...moderation, repeat: 5 }],
  ['easy', 'de', 'Totaler Schrott, nach zwei Wochen kaputt. Nie wieder Nordhaven.', moderation],
  ['easy', 'fr', 'La veste taille petit, prenez une taille au-dessus. Sinon très chaude.', moderation],
  ['easy', 'en', 'Oh wonderful, the "waterproof" jacket turned me into a sponge on the first drizzle. 10/10 would drown again.', moderation],
  ['easy', 'en', 'whoever packed my order is a complete idiot, boots thrown on top of the glass bottle. box crushed, bottle broken.', moderation],
  ['easy', 'de', 'Bei Fragen zum Zelt einfach anrufen: 0171 2345678 (Markus)', moderation],
  ['easy', 'pl', 'Świetne buty, bardzo wygodne, polecam!', { ...moderation, repeat: 2 }],
  ['easy', 'it', 'Prodotto arrivato rotto e nessuno risponde alle email. Vergogna.', moderation],
  ['easy', 'nl', 'Slecht product. Kijk liever op www.outdoorkoopjes.example, daar is het de helft goedkoper.', moderation],
  ['hard', 'en', veiledThreat, moderation],
  ['hard', 'de', forumReply, moderation],

  // Review one-line summaries
  [
    'easy',
    'en',
    'Bought these boots for the West Highland Way. Comfortable from day one, no blisters after 150 km, but they run half a size small and the laces are rubbish – replaced them after a week. Waterproofing held up in two days of rain. Would buy again.',
    reviewSummary,
  ],
  [
    'easy',
    'de',
    'Der Rucksack ist super verarbeitet und das Rückensystem ist echt bequem, auch mit 12 kg. Einziges Manko: die Seitentaschen sind zu eng für 1-Liter-Flaschen. Für den Preis trotzdem top.',
    reviewSummary,
  ],
  ['easy', 'fr', 'Lampe frontale très lumineuse, mais la batterie tient à peine 3 h en mode max. Pratique pour courir le soir.', reviewSummary],
  ['easy', 'es', 'llegó rapidísimo y el saco es calentito, lo usé a -5 en Gredos y perfecto. la bolsa de compresión se rompió el primer día 🙄', reviewSummary],
  ['easy', 'sv', 'Bra jacka för priset, men huvan är för liten om man har mössa på sig.', reviewSummary],

  // Product descriptions from attributes
  [
    'easy',
    'en',
    'Product: Alva fleece jacket\nMaterial: 100% recycled polyester, 300 g/m²\nFit: regular\nFeatures: two zipped hand pockets, chin guard, elasticated cuffs\nColours: navy, moss, black',
    productCopy,
  ],
  [
    'easy',
    'de',
    'Produkt: Trinkflasche Fjord 0,75 l\nMaterial: Edelstahl, doppelwandig vakuumisoliert\nHält kalt: 24 h, warm: 12 h\nGewicht: 340 g\nSpülmaschinenfest: nein',
    productCopy,
  ],
  ['easy', 'fr', 'Produit : lampe frontale Lumo 400\nFlux : 400 lumens\nAutonomie : 3 h (max) / 40 h (éco)\nRecharge : USB-C\nÉtanchéité : IPX4\nPoids : 78 g', productCopy],
  ['easy', 'it', 'Prodotto: berretto Vetta\nMateriale: 100% lana merino 18,5 micron\nTaglia unica\nColori: grigio, senape, blu notte', productCopy],
  ['easy', 'en', 'kids rain jacket, yellow, reflective stripes, sizes 2-8y, packs into own pocket', productCopy],
  ['hard', 'en', conflictingCopy, productCopy],

  // Email subject line suggestions
  ['easy', 'en', 'summer sale, 20% off all tents and sleeping bags, ends sunday', subjectLines],
  ['easy', 'de', 'Neueröffnung unseres Ladens in Leipzig am 14. September – Sekt, Livemusik und 10 % Rabatt am Eröffnungstag', subjectLines],
  ['easy', 'fr', "rappel : les inscriptions à l'atelier poterie du samedi ferment vendredi, il reste 3 places", subjectLines],
  ['easy', 'en', 'black friday early access for members', { ...subjectLines, repeat: 2 }],
  ['easy', 'nl', 'nieuwe collectie wintersokken, gratis verzending vanaf 30 euro', subjectLines],

  // Shop search box rewriting
  ['easy', 'en', 'rain jakcet', { ...search, repeat: 6 }],
  ['easy', 'de', 'wanderschuhe damen gr 39', { ...search, repeat: 5 }],
  ['easy', 'de', 'schlafsak', { ...search, repeat: 4 }],
  ['easy', 'en', 'tent 2 person under 200', { ...search, repeat: 3 }],
  ['easy', 'fr', 'sac a dos 30l', { ...search, repeat: 2 }],
  ['easy', 'es', 'chaqueta impermeable hombre azul talla L', search],
  ['easy', 'nl', 'wandelschoenen heren maat 44', search],
  ['easy', 'sv', 'regnjacka barn', search],
  ['easy', 'pl', 'buty trekkingowe meskie 43', search],
  ['easy', 'en', 'gift for dad who likes camping under 50€', search],

  // Autocomplete in a compose box
  ['easy', 'en', 'Thanks for your', { ...autocomplete, repeat: 6 }],
  ['easy', 'en', 'Let me know if you', { ...autocomplete, repeat: 5 }],
  ['easy', 'de', 'Vielen Dank für Ihre', { ...autocomplete, repeat: 4 }],
  ['easy', 'de', 'Mit freundlichen', { ...autocomplete, repeat: 3 }],
  ['easy', 'fr', 'Je vous remercie pour', { ...autocomplete, repeat: 2 }],
  ['easy', 'es', 'Quedo a la espera de', autocomplete],

  // Grammar and spelling fixes
  ['easy', 'en', "i wanted to let you know that the meeting is moved to thursday, their will be coffee and snacks so dont bring you're own", grammar],
  ['easy', 'de', 'hallo zusammen, ich bin morgen nicht im büro weil ich ein arzttermin habe, bitte ruft mich an falls was dringentes ist', grammar],
  ['easy', 'fr', 'je suis desolé pour le retard, je vous envoie les document demain matin sans faute', grammar],
  ['easy', 'es', 'hola, ya e enviado el paquete, te llegara el martes porfa avisame cuando llege', grammar],
  ['easy', 'it', 'ciao a tutti, domani la riunione e alle 10 e non alle 9, scusate per il cambio', grammar],
  ['easy', 'pt', 'Olá, gostaria de saber se voces tem esse produto em estoque pois preciso pra sexta', grammar],

  // Tone rewrites
  ['easy', 'en', 'why is nobody answering my emails. this is the 3rd time i ask about the refund for order 50233', politer],
  ['easy', 'de', 'Ich brauche die Zahlen bis morgen früh, sonst können wir die Präsentation vergessen.', politer],
  ['easy', 'es', 'No puedo ir a la reunión del jueves. Cámbiala al viernes.', politer],
  [
    'easy',
    'en',
    'Hi team, I just wanted to quickly reach out and touch base to let you all know that, as we discussed in the meeting yesterday afternoon, the deadline for the Q3 budget drafts has been moved from Friday the 14th to Wednesday the 19th, so you all have a few more days to finalise your numbers. Please make sure to still send them to me and not directly to finance. Thanks so much!',
    shorter,
  ],
  [
    'easy',
    'de',
    'Hallo Frau Keller, ich wollte mich nur noch einmal kurz bei Ihnen melden, weil ich gestern vergessen hatte zu erwähnen, dass wir für die Lieferung nächste Woche unbedingt noch die Adresse Ihres neuen Lagers in Kassel bräuchten, da die alte Adresse ja ab dem 1. Juli nicht mehr gilt, wie Sie mir im letzten Telefonat gesagt hatten. Vielen Dank und viele Grüße, Jan Peters',
    shorter,
  ],
  [
    'easy',
    'nl',
    'Hoi allemaal, even een berichtje om te laten weten dat ik morgen helaas niet op kantoor ben omdat mijn dochter ziek is, maar ik ben gewoon online bereikbaar via Teams en op mijn telefoon, dus als er iets is bel gerust.',
    shorter,
  ],

  // UI string translation (target language in the system prompt)
  ['easy', 'en', 'Add to cart', { ...toDe, repeat: 6 }],
  ['easy', 'en', 'Add to cart', { ...toFr, repeat: 5 }],
  ['easy', 'en', 'Add to cart', { ...toPl, repeat: 3 }],
  ['easy', 'en', 'Your order is on its way! Track it here: {trackingUrl}', { ...toDe, repeat: 4 }],
  ['easy', 'en', 'Sign in', { ...toEs, repeat: 4 }],
  ['easy', 'en', 'Free shipping on orders over {amount}', { ...toIt, repeat: 3 }],
  ['easy', 'en', 'Only {count} left', { ...toNl, repeat: 2 }],
  ['easy', 'en', 'Password must be at least 8 characters long.', toSv],
  ['easy', 'en', 'Save for later', { ...toPt, repeat: 2 }],
  ['easy', 'en', "We couldn't process your payment. Please try another card.", { ...toDe, repeat: 2 }],
  ['easy', 'de', 'Jetzt kaufen', { ...toEn, repeat: 3 }],
  ['easy', 'en', 'Good news, {name}! The {product} you were watching is back in stock.', toEs],
  ['hard', 'en', '{count, plural, one {# item is} other {# items are}} reserved in your cart for {minutes} minutes.', toPl],

  // Language detection
  ['easy', 'en', 'ok', { ...detect, repeat: 4 }],
  ['easy', 'sv', 'Hej, var är mitt paket?', { ...detect, repeat: 3 }],
  ['easy', 'pt', 'Obrigado pela ajuda', { ...detect, repeat: 2 }],
  ['easy', 'pl', 'Dzień dobry, mam pytanie o rozmiar kurtki', detect],
  ['easy', 'it', 'ciao, the order arrived ma manca un pezzo della tenda', detect],
  ['easy', 'de', 'hab das ticket schon submitted aber no response yet, kann jemand checken?', detect],

  // Tag extraction (magazine CMS)
  [
    'easy',
    'en',
    'The Kungsleden runs 440 km from Abisko to Hemavan through Swedish Lapland. Most hikers walk only the northern section to Nikkaluokta in about five days, sleeping in the STF mountain huts, which open in late June. Mosquitoes are fierce in July; August brings the first autumn colours and fewer crowds.',
    tagging,
  ],
  [
    'easy',
    'de',
    'Der Malerweg in der Sächsischen Schweiz führt auf 116 Kilometern durch Tafelberge, Felsriffe und tiefe Schluchten. Die acht Etappen sind gut ausgeschildert, Übernachtungen in Pensionen sollte man im Sommer früh buchen. Höhepunkt für viele: der Sonnenaufgang an der Bastei.',
    tagging,
  ],
  [
    'easy',
    'es',
    'El Camino del Norte recorre la costa cantábrica desde Irún hasta Santiago. Es menos transitado que el Camino Francés, con etapas más exigentes pero paisajes espectaculares entre el mar y la montaña.',
    tagging,
  ],
  [
    'easy',
    'sv',
    'Packrafting blir allt populärare i Sverige. Med en uppblåsbar båt på under tre kilo kan man kombinera vandring och paddling, till exempel längs Klarälven i Värmland.',
    tagging,
  ],

  // Bank transaction categorisation
  ['easy', 'de', 'Netflix.com | -13,99 EUR', { ...transactions, repeat: 4 }],
  ['easy', 'de', 'DB Vertrieb GmbH Deutschlandticket | -49,00 EUR', { ...transactions, repeat: 4 }],
  ['easy', 'en', 'TFL TRAVEL CH TFL.GOV.UK/CP | -2.80 GBP', { ...transactions, repeat: 3 }],
  ['easy', 'de', 'LOHN/GEHALT 05/24 NORDHAVEN OUTDOOR GMBH | +2.841,33 EUR', transactions],
  ['easy', 'fr', 'PRLV SEPA EDF CLIENTS PARTICULIERS | -78,00 EUR', transactions],
  ['easy', 'es', 'COMPRA TARJ. 4711 MERCADONA AV PUERTO VALENCIA | -54,12 EUR', transactions],
  ['easy', 'nl', 'BEA, Apple Pay ALBERT HEIJN 1234,PAS123 UTRECHT | -17,85 EUR', transactions],
  ['easy', 'sv', 'ICA NARA HOLMEN | -312,50 SEK', transactions],
  ['easy', 'pl', 'BLIK ZAKUP ZABKA Z1234 K.1 WARSZAWA | -18,99 PLN', transactions],
  ['easy', 'it', 'PAGAMENTO POS ENI STATION 3344 ROMA | -60,00 EUR', transactions],
  ['hard', 'de', holidayFlat, transactions],

  // Address normalisation at checkout
  ['easy', 'de', 'c/o Becker, Lindenweg 3, 2. OG links, 04109 Leipzig', address],
  ['easy', 'en', 'Flat 4, 22 baker st, london NW1 6XE', address],
  ['easy', 'nl', 'Keizersgracht 221-III, 1016DV Amsterdam', address],
  ['easy', 'pl', 'ul. Marszałkowska 84/92 m. 15, 00-514 Warszawa', address],
  ['easy', 'sv', 'Storgatan 5B lgh 1102, 114 51 Stockholm', address],
  ['easy', 'es', 'C/ Colón 22, 3º izq, 46004 Valencia', address],
  ['easy', 'it', 'via roma 15 int 4 - 20121 milano MI', address],

  // Action items from meeting notes
  ['easy', 'en', "standup 3/6: tom fixes checkout bug by wed, priya sends release notes, I'll book the room for fri demo", actionItems],
  ['easy', 'de', 'Jour fixe 04.06.: Lena klärt Budget mit Finanzen bis Fr. Kai schickt Druckdaten an Druckerei. Termin mit Agentur nächste Woche → Jonas', actionItems],
  ['easy', 'en', 'call w/ acme – they liked the demo, waiting on their procurement. nothing for us rn', actionItems],
  ['easy', 'es', 'reunión: Ana prepara el presupuesto para el jueves, Luis llama al cliente', actionItems],
  ['hard', 'de', weeklyNote, actionItems],

  // FAQ answers from one retrieved snippet
  ['easy', 'en', 'how long does delivery to austria take', { ...faqShipping, repeat: 3 }],
  ['easy', 'de', 'Was kostet der Versand nach Österreich?', { ...faqShipping, repeat: 2 }],
  ['easy', 'en', 'can i get it delivered on saturday?', faqShipping],
  ['easy', 'de', 'wie kann ich kündigen', { ...faqGym, repeat: 4 }],
  ['easy', 'de', 'Bekomme ich Geld zurück wenn ich mitten im Monat kündige?', faqGym],
  ['easy', 'fr', 'on est jeudi, je peux encore annuler le panier de la semaine prochaine ?', faqMealKit],
  [
    'hard',
    'en',
    "I'm a student in Zurich. My cart: Lyra 2 tent CHF 118 (full price) and a sale beanie CHF 15. I also have the CHF 15 newsletter voucher. Which one should I use so I pay the least, and is shipping free either way? Roughly what will I pay on delivery?",
    faqDiscounts,
  ],
]);
