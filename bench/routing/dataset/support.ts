import { entries } from './entry.js';

// A support bot of an online outdoor-gear shop: the app puts the retrieved help-centre articles
// in the system prompt and the customer's message as the user turn.
const articles = `Help centre articles retrieved for this conversation:

[Shipping] Orders placed before 14:00 CET on a working day leave our warehouse in Hamburg the same day. Standard delivery takes 2-4 working days within Germany and 3-7 working days to the rest of the EU; shipping is free above EUR 50, otherwise EUR 4.90. Express delivery (next working day, Germany only) costs EUR 12.90. We ship to Switzerland, Norway and the UK with customs duties paid by the customer. We do not ship to PO boxes. A tracking link is emailed when the parcel leaves the warehouse; it can take up to 24 hours before the carrier shows the first scan.

[Returns] You can return unused items within 30 days of delivery for a full refund. Start a return in your account under Orders > Return items and print the prepaid DHL label; returns from outside Germany cost EUR 6.50, deducted from the refund. Worn footwear, opened gas cartridges and custom-cut rope cannot be returned. Refunds go to the original payment method within 5 working days of the return reaching our warehouse. Exchanges are handled as a return plus a new order.

[Warranty] All products carry the statutory two-year warranty. Tents, backpacks and sleeping bags of our own brand Nordhaven carry a lifetime warranty against manufacturing defects (not wear, UV damage or accidents). For a warranty claim send photos of the defect and your order number to care@nordhaven.example; we answer within 3 working days and may ask you to send the item in for inspection.

[Payments] We accept Visa, Mastercard, PayPal, Klarna (pay in 30 days) and bank transfer. With Klarna the invoice is issued by Klarna; questions about due dates go to Klarna. Vouchers can be combined with sale prices but not with other vouchers. Prices include VAT; business customers can enter a VAT ID at checkout for a reverse-charge invoice (EU outside Germany only).

[Account] To reset your password use "Forgot password" on the login page; the link is valid for 30 minutes. Two-factor authentication can be turned on under Account > Security. To delete your account write to privacy@nordhaven.example; we delete personal data within 30 days except invoices, which we must keep for 10 years under German tax law.`;

const system = `You are the customer support assistant of Nordhaven Outdoor. Be friendly and brief. Answer only from the help centre articles below; if the answer is not there, offer to hand over to a human agent.\n\n${articles}`;
const s = { system };

export const support = entries('support', [
  ['easy', 'en', 'Hi, how long does delivery to Austria take?', { ...s, repeat: 3 }],
  ['easy', 'en', 'how many days for shipping to vienna??', s],
  ['easy', 'de', 'Wie lange dauert der Versand nach Österreich?', { ...s, repeat: 2 }],
  ['easy', 'de', 'Ab welchem Bestellwert ist der Versand kostenlos?', { ...s, repeat: 2 }],
  ['easy', 'en', 'Is shipping free?', s],
  ['easy', 'fr', 'Bonjour, est-ce que vous livrez en Suisse ?', s],
  ['easy', 'es', '¿Hacen envíos a España? ¿Cuánto cuesta?', s],
  ['easy', 'en', 'I ordered yesterday but the tracking link shows nothing. Is something wrong?', { ...s, repeat: 2 }],
  ['easy', 'de', 'Mein Sendungslink zeigt seit gestern nichts an, ist das normal?', s],
  ['easy', 'en', "How do I return a jacket that doesn't fit?", { ...s, repeat: 3 }],
  ['easy', 'en', 'can i send back boots i wore once on a hike', s],
  ['easy', 'fr', 'Comment retourner un article ? Je suis en Belgique.', s],
  ['easy', 'es', 'Quiero devolver una mochila, ¿cómo lo hago y cuándo recibo el dinero?', s],
  ['easy', 'de', 'Wann bekomme ich mein Geld nach der Rücksendung zurück?', s],
  ['easy', 'en', 'The zip on my Nordhaven tent broke after 3 years. Is that covered?', s],
  ['easy', 'de', 'Der Reißverschluss meines Nordhaven-Schlafsacks ist kaputt. Garantie?', s],
  ['easy', 'en', 'Do you take PayPal?', { ...s, repeat: 2 }],
  ['easy', 'it', 'Posso pagare con Klarna?', s],
  ['easy', 'en', 'Can I use two discount codes on one order?', s],
  ['easy', 'en', 'I forgot my password and the reset link says expired', { ...s, repeat: 2 }],
  ['easy', 'fr', 'Comment activer la double authentification sur mon compte ?', s],
  ['easy', 'en', 'Please delete my account and all my data.', s],
  ['easy', 'nl', 'Verzenden jullie ook naar Nederland en hoe lang duurt dat?', s],
  ['easy', 'en', 'Do you ship to a PO box?', s],
  ['easy', 'en', 'What are your opening hours?', s],
  ['easy', 'en', "thanks, that's all!", s],
  ['easy', 'de', 'Ich brauche eine Rechnung mit meiner USt-IdNr., wir sind eine Firma in Frankreich.', s],
  ['easy', 'en', 'I want to exchange my size 42 shoes for a 43, unworn.', s],
  [
    'hard',
    'en',
    'I ordered a tent, sleeping bag and gas cartridges for EUR 312 on 2 May, paid with Klarna. The tent arrived with a torn seam, the sleeping bag never arrived, and I opened one cartridge before noticing the order was incomplete. Klarna now says my invoice is overdue. What exactly can I return, what will be refunded (I live in Denmark), and what should I tell Klarna? Please go through each item.',
    s,
  ],
  [
    'hard',
    'de',
    'Ich habe am 3. Juni zwei Rucksäcke bestellt (je 129 EUR) und einen mit einem Gutschein über 20 EUR bezahlt, der andere war im Sale. Einen Rucksack möchte ich zurückgeben, er wurde einmal benutzt und der Gurt ist gerissen – ist das Garantie oder Rückgabe? Wie viel bekomme ich zurück, wenn ich in der Schweiz wohne, und was passiert mit dem Gutschein?',
    s,
  ],
  [
    'hard',
    'en',
    "Our scout group (registered charity in Ireland) wants to buy 14 sleeping bags. We need a reverse-charge invoice, want some delivered to our leader in Northern Ireland and the rest to Dublin, and we'd like to pay half now and half in 30 days. Work out what is possible under your policies and what isn't, and what it costs us.",
    s,
  ],
  [
    'hard',
    'fr',
    "J'ai reçu une tente Nordhaven achetée il y a 4 ans, les arceaux se sont cassés sous la neige et le tissu est décoloré par le soleil. Votre garantie à vie couvre-t-elle l'un ou l'autre ? Expliquez la différence et ce que je dois envoyer, sachant que je n'ai plus le numéro de commande.",
    s,
  ],
  [
    'hard',
    'en',
    "I'm furious. Third time I write. Order 88123: wrong colour jacket, then your replacement was the wrong size, and now I've been charged twice on my Visa. I want both charges explained, a refund of the duplicate, and compensation. Lay out what happened and what you can actually do.",
    s,
  ],
  [
    'hard',
    'es',
    'Compré unas botas hace 25 días, las usé dos veces y se despegó la suela. Vivo en Portugal. ¿Es devolución, garantía legal o nada? Si la devolución no vale porque están usadas, ¿qué pasos sigo con la garantía y cuánto tiempo tarda todo?',
    s,
  ],
  ['easy', 'en', 'hey how long till my stuff arrives in germany', s],
  ['easy', 'es', '¿Cuánto tarda un pedido en llegar a Alemania?', s],
  ['easy', 'en', 'What is your return policy?', { ...s, repeat: 2 }],
  ['easy', 'fr', 'Quel est le délai pour retourner un produit ?', s],
  ['easy', 'de', 'Kann ich mit PayPal bezahlen?', s],
  [
    'hard',
    'de',
    'Ich bin sauer: Bestellung 77120 kam ohne die Isomatte, die Ersatzlieferung war die falsche Größe und jetzt wurde meine Kreditkarte doppelt belastet. Ich will eine Erklärung zu beiden Abbuchungen, die Erstattung der doppelten Zahlung und eine Entschädigung. Was können Sie konkret tun?',
    s,
  ],
]);
