import { entries } from './entry.js';

/**
 * Writing, planning, data and prose-only technical requests, easy and hard, written for the dev
 * set after issue 13 (no code fences: the technical ones describe the problem in prose).
 */
export const writing = entries('writing', [
  [
    'hard',
    'en',
    'Translate this clause into German so that it stays legally precise: "The Licensee shall indemnify the Licensor against all claims arising from the Licensee\'s breach of this Agreement, save to the extent caused by the Licensor\'s negligence."',
    {},
  ],
  [
    'hard',
    'en',
    'Turn my notes into a 600-word op-ed arguing against a four-day school week. Notes: childcare costs for parents, learning loss studies mixed, teacher retention argument on the other side, rural bus routes. It has to acknowledge the strongest counter-argument fairly.',
    {},
  ],
  [
    'hard',
    'de',
    'Übersetze dieses Gedicht ins Englische und erhalte dabei Reimschema und Metrum so weit wie möglich: "Der Herbst kommt leise übers Land, / er malt die Blätter rot und gelb, / und nimmt den Sommer bei der Hand, / der müde wird und still verfällt."',
    {},
  ],
  [
    'hard',
    'fr',
    "Rédige le discours de mariage de ma sœur (3 minutes à l'oral) : un ton drôle mais émouvant, une anecdote sur notre voyage raté en Bretagne, ne mentionne pas son ex, et termine par un toast.",
    {},
  ],
  [
    'hard',
    'es',
    'Reescribe este párrafo académico para un público de 12 años sin perder ninguna de las ideas: "La fotosíntesis es un proceso mediante el cual los organismos autótrofos convierten la energía lumínica en energía química, almacenada en enlaces de glucosa, liberando oxígeno como subproducto."',
    {},
  ],
  [
    'hard',
    'en',
    'Edit my personal statement for a medical school application. Keep my voice, cut it from 780 to 500 words, and tell me which paragraph is weakest and why.\n\nI first understood what medicine could be when my grandmother was hospitalised for three months...',
    {},
  ],
  [
    'hard',
    'it',
    'Scrivi una lettera di reclamo formale al comune per il rumore notturno di un locale: cita le ordinanze in modo generico, proponi soluzioni concrete, tono fermo ma non aggressivo.',
    {},
  ],
  ['hard', 'nl', 'Schrijf een persbericht over de fusie van twee zorginstellingen, waarbij je de zorgen van personeel serieus neemt maar geen toezeggingen doet over banen.', {}],
  ['easy', 'en', 'Fix the typo: "Their going to the park tomorow."', {}],
  ['easy', 'en', 'Give me three adjectives to describe a sunset.', {}],
  ['easy', 'de', 'Übersetze "Guten Appetit" ins Spanische.', {}],
  ['easy', 'fr', 'Quel est le féminin de "acteur" ?', {}],
  ['easy', 'es', 'Corrige: "Ayer e ido al cine con mis amigos."', {}],
  ['easy', 'it', 'Dammi un sinonimo di "felice".', {}],
  ['easy', 'nl', 'Vertaal naar het Engels: "Ik kom morgen iets later."', {}],
  ['easy', 'pt', 'Corrige a frase: "Eu fui no mercado ontem de manhã cedo."', {}],
  ['easy', 'en', 'Write a two-line birthday poem for my dad.', {}],
  ['easy', 'en', 'Make this title catchier: "Tips for Saving Money on Groceries".', {}],
  ['easy', 'de', 'Schreib eine kurze Danksagung für die Einladung zum Abendessen.', {}],
  ['easy', 'fr', "Écris une phrase d'accroche pour une boulangerie.", {}],
]);

export const planning = entries('planning', [
  [
    'hard',
    'en',
    'I have two job offers: a startup paying 85k with 0.3% equity and a bank paying 110k with a strong pension. I am 31, renting, and want to buy a flat in 3 years. Help me think through which to take.',
    {},
  ],
  [
    'hard',
    'en',
    "We are 4 engineers and need to move our monolith's billing module to a separate service within one quarter without downtime. Draft the migration plan with phases, risks and a rollback strategy.",
    {},
  ],
  [
    'hard',
    'de',
    'Ich möchte in 16 Wochen einen Halbmarathon unter 1:50 laufen. Aktuell laufe ich 10 km in 55 Minuten, dreimal pro Woche. Erstelle einen Trainingsplan mit Steigerung und Ruhewochen.',
    {},
  ],
  [
    'hard',
    'fr',
    'Notre association veut organiser un festival de quartier pour 2 000 personnes avec 15 000 euros. Quelles étapes, quels postes de budget et quels risques prévoir, mois par mois ?',
    {},
  ],
  [
    'hard',
    'es',
    'Mi equipo de soporte tiene un 30 % de rotación al año. Analiza las posibles causas y propón un plan de retención de seis meses con indicadores para medirlo.',
    {},
  ],
  ['hard', 'it', 'Devo scegliere tra ristrutturare casa adesso con un mutuo o aspettare due anni risparmiando. Quali fattori devo considerare e come li peso?', {}],
  [
    'hard',
    'pt',
    'Quero abrir uma pequena cafetaria no Porto. Faz-me um plano de negócios resumido: investimento inicial, ponto de equilíbrio, riscos principais e o que validar antes de assinar o arrendamento.',
    {},
  ],
  [
    'hard',
    'nl',
    'We willen als gezin met twee kinderen een jaar in Spanje wonen. Wat moeten we regelen rond school, zorgverzekering, belasting en ons huis hier, en in welke volgorde?',
    {},
  ],
  ['easy', 'en', 'Suggest a gift for a 10-year-old who likes dinosaurs.', {}],
  ['easy', 'en', 'What should I pack for a weekend at the beach? Short list.', {}],
  ['easy', 'de', 'Was kann ich heute Abend schnell kochen mit Nudeln und Tomaten?', {}],
  ['easy', 'fr', 'Donne-moi une idée de sortie pour un dimanche pluvieux.', {}],
  ['easy', 'es', 'Recomiéndame una película de comedia para ver en familia.', {}],
  ['easy', 'it', 'Cosa posso regalare a una collega che va in pensione?', {}],
  ['easy', 'nl', 'Geef een idee voor een simpel ontbijt op zondag.', {}],
  ['easy', 'pt', 'Sugere um nome para um grupo de WhatsApp da família.', {}],
  ['easy', 'en', 'What time is good to water tomatoes in summer?', {}],
  ['easy', 'en', 'Remind me of the order of the planets from the sun.', {}],
]);

export const data = entries('data', [
  [
    'hard',
    'en',
    'Monthly churn went from 2.1% to 3.4% after we raised prices in March, but new signups grew 18%. Revenue is flat. Was the price rise a good decision? Explain what else you would need to know.',
    {},
  ],
  [
    'hard',
    'en',
    'Here are weekly sales for two stores: A: 120, 135, 128, 150, 162, 158; B: 140, 138, 145, 139, 141, 143. Which store is growing, is the difference meaningful, and how would you forecast the next 4 weeks?',
    {},
  ],
  [
    'hard',
    'de',
    'Wir haben Umfragedaten von 400 Kunden mit Zufriedenheit (1–5), Alter und Region. Welche Auswertung empfiehlst du, um herauszufinden, ob die Region die Zufriedenheit beeinflusst, und welche Fallstricke gibt es?',
    {},
  ],
  [
    'hard',
    'fr',
    "Notre taux de conversion est de 2,4 % sur mobile et 4,1 % sur ordinateur. Le trafic mobile représente 70 %. Si on améliore le mobile de 20 %, quel est l'impact sur le taux global, et est-ce réaliste ?",
    {},
  ],
  [
    'hard',
    'es',
    'Tengo una tabla de pedidos con fecha, cliente, importe y país. Explica cómo calcularías la retención por cohortes mensuales y qué gráficos usarías para presentarla a dirección.',
    {},
  ],
  [
    'hard',
    'en',
    'Our on-call pager fired 240 times last month; 70% were disk-space alerts on the same 3 hosts. Analyse what this suggests and propose a plan to cut alert noise by half without missing real incidents.',
    {},
  ],
  ['easy', 'en', 'What is 12% of 250?', {}],
  ['easy', 'en', 'Convert 72 degrees Fahrenheit to Celsius.', {}],
  ['easy', 'de', 'Wie viele Minuten sind 3,5 Stunden?', {}],
  ['easy', 'fr', 'Quelle est la moyenne de 4, 8 et 12 ?', {}],
  ['easy', 'es', '¿Cuántos kilos son 5 libras?', {}],
  ['easy', 'it', 'Quanto fa 15 per 12?', {}],
  ['easy', 'nl', 'Hoeveel is 30 procent van 90?', {}],
  ['easy', 'pt', 'Quantos segundos tem uma hora?', {}],
  ['easy', 'en', 'Sort these numbers from smallest to largest: 42, 7, 19, 3, 88.', {}],
]);

export const prose = entries('prose-technical', [
  [
    'hard',
    'en',
    "Our Node service's memory grows by about 50 MB an hour until it is killed, but only in production, and heap snapshots show lots of retained closures from the HTTP client. Where would you look and how would you confirm the cause?",
    {},
  ],
  [
    'hard',
    'en',
    "Two of our microservices both update the customer's balance and sometimes the balance ends up wrong after retries. Explain what is probably happening and how to make the updates safe.",
    {},
  ],
  [
    'hard',
    'de',
    'Unsere Android-App stürzt nur auf Samsung-Geräten mit Android 14 beim Öffnen der Kamera ab, im Emulator nie. Wie gehe ich systematisch vor, um die Ursache zu finden?',
    {},
  ],
  [
    'hard',
    'fr',
    'Nos déploiements Kubernetes échouent de façon aléatoire car les pods ne passent pas la readiness probe pendant les pics de trafic. Quelles causes possibles et comment les distinguer ?',
    {},
  ],
  [
    'hard',
    'es',
    'Queremos pasar de una base de datos única a una por cliente para 300 clientes. ¿Qué ventajas e inconvenientes tiene y cómo haríais las migraciones de esquema?',
    {},
  ],
  ['hard', 'en', 'How should we version our public REST API so that mobile clients that never update keep working for two years while we change the order model?', {}],
  ['easy', 'en', 'What does git stash do?', {}],
  ['easy', 'en', 'What is the keyboard shortcut to copy on a Mac?', {}],
  ['easy', 'de', 'Was ist der Unterschied zwischen HTTP und HTTPS in einem Satz?', {}],
  ['easy', 'fr', "Comment s'appelle le fichier de configuration principal de npm ?", {}],
  ['easy', 'es', '¿Qué significa la sigla API?', {}],
  ['easy', 'en', 'Which port does HTTPS use by default?', {}],
  ['easy', 'nl', 'Hoe maak ik een screenshot op Windows?', {}],
]);
