import { entries } from './entry.js';

const translator = { system: 'You are a professional translator. Return only the translation.' };
const longEmail = `Hi all,

Quick recap of today's sync on the spring catalogue. Photography is booked for 11-13 March at the Hamburg studio; Jonas will confirm the models by Friday. The copy for the tent pages is late because the product team changed the weights again - Marta needs the final spec sheet by Wednesday or we push the print deadline. The print shop can still do 20 April if files arrive by 2 April; after that it is 4 May, which misses the trade fair. Budget: we are EUR 3,400 over on photography because of the extra location day, which Lena approved, so we will cut the influencer budget by the same amount. Open question: do we print the Norwegian edition this year? Sales says it sold 1,100 copies last year, but shipping to Norway is expensive. Decision by the 28th.

Thanks, Kai`;

export const language = entries('language', [
  ['easy', 'en', 'Translate into German: "Your order has shipped and should arrive within 3 working days."', { ...translator, repeat: 3 }],
  ['easy', 'en', 'Translate to French: Thank you for your patience, we will get back to you within 24 hours.', { ...translator, repeat: 2 }],
  ['easy', 'de', 'Übersetze ins Englische: "Bitte bestätigen Sie den Termin bis Freitag."', translator],
  ['easy', 'es', 'Traduce al inglés: "La reunión se ha aplazado al lunes a las diez."', translator],
  ['easy', 'fr', 'Traduis en espagnol : « Le magasin est fermé le dimanche. »', translator],
  ['easy', 'en', 'How do you say "step by step" in German?', {}],
  ['easy', 'en', 'Translate "compare prices" into Spanish', {}],
  ['easy', 'pt', 'Traduza para o inglês: "O produto chegou danificado, quero a troca."', translator],
  ['easy', 'en', 'Translate into Italian: "The hiking boots are waterproof and weigh 1.2 kg per pair."', translator],
  ['easy', 'en', 'Fix the grammar: "me and him goes to the store yesterday and buyed three apple."', { repeat: 2 }],
  ['easy', 'de', 'Korrigiere bitte: "Ich habe gestern mit den Kunde telefoniert und er hat gesagt das er zufrieden ist."', {}],
  ['easy', 'en', 'Make this more polite: "Send me the report now."', {}],
  ['easy', 'fr', 'Reformule de façon plus professionnelle : « On a raté la deadline, désolé. »', {}],
  ['easy', 'en', `Summarise this email in three bullet points:\n\n${longEmail}`, { repeat: 2 }],
  ['easy', 'de', `Fasse die E-Mail in zwei Sätzen auf Deutsch zusammen:\n\n${longEmail}`, {}],
  ['easy', 'fr', `Résume ce message en une phrase :\n\n${longEmail}`, {}],
  [
    'easy',
    'en',
    'TL;DR: The council approved the new cycle lane on Hafenstraße after a two-hour debate. Construction starts in September and will take four months; parking on the east side will be removed. Shop owners had asked for a delay until after Christmas, which was rejected.',
    {},
  ],
  [
    'easy',
    'es',
    'Resume en una frase: El ayuntamiento aprobó ayer el nuevo plan de movilidad, que amplía los carriles bici en 40 km y reduce la velocidad máxima a 30 km/h en el centro a partir de enero.',
    {},
  ],
  ['easy', 'en', 'Write a short subject line for an email announcing our summer sale (20% off tents).', { repeat: 2 }],
  ['easy', 'en', 'Give me 5 name ideas for a hiking podcast.', {}],
  ['easy', 'de', 'Schreib eine kurze Geburtstagsnachricht für meine Kollegin Sabine.', {}],
  ['easy', 'en', 'Write a product description (50 words) for a 1-litre stainless steel water bottle.', {}],
  ['easy', 'es', 'Escribe un tuit anunciando que abrimos una nueva tienda en Valencia.', {}],
  ['easy', 'en', 'Write an out-of-office reply: away until 12 August, urgent matters to jonas@nordhaven.example.', { repeat: 2 }],
  [
    'hard',
    'en',
    'Translate this clause into German legal language, keeping the liability distinctions exact: "Neither party shall be liable for indirect or consequential loss, save that nothing in this Agreement limits liability for death or personal injury caused by negligence, fraud, or any liability which cannot be limited under applicable law."',
    translator,
  ],
  [
    'hard',
    'fr',
    'Traduis ce poème de Rilke en français en gardant le rythme et les images, puis explique les choix difficiles : « Ich lebe mein Leben in wachsenden Ringen, / die sich über die Dinge ziehn. / Ich werde den letzten vielleicht nicht vollbringen, / aber versuchen will ich ihn. »',
    {},
  ],
  [
    'hard',
    'en',
    `Read this and tell me which decisions are actually blocked on whom, what the real deadline risk is, and what I should do first as the project lead:\n\n${longEmail}`,
    {},
  ],
  [
    'hard',
    'de',
    'Fasse das folgende Gutachten so zusammen, dass ein Vorstand ohne juristische Vorbildung die Risiken einschätzen kann, und bewerte, welche Annahmen des Gutachtens am schwächsten sind: Das Gutachten kommt zu dem Ergebnis, dass die geplante Übernahme der Lindqvist AB kartellrechtlich unbedenklich ist, sofern der Marktanteil im Segment Outdoor-Schuhe in Skandinavien unter 25 % bleibt. Es stützt sich dabei auf Marktdaten von 2021 und geht davon aus, dass Online-Händler als eigener Markt zu betrachten sind. Für den Fall, dass die Behörde einen gemeinsamen Markt annimmt, läge der kombinierte Anteil bei etwa 31 %.',
    {},
  ],
  [
    'hard',
    'es',
    'Traduce al español este texto de marketing adaptándolo al público mexicano (no solo traducir, localizar referencias y tono): "Get out there this weekend. Our new Alva jacket shrugs off Scottish drizzle and packs down to the size of a pint glass. Free returns, obviously."',
    {},
  ],
  ['easy', 'de', 'Übersetze ins Französische: "Ihre Bestellung wurde versandt."', translator],
  ['easy', 'en', 'Can you make this sound friendlier: "Your request has been rejected."', {}],
]);
