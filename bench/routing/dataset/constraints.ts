import { entries } from './entry.js';

/**
 * Requests that stack several requirements on one answer, without code fences or formulas
 * (written for the dev set after issue 13), beside easy requests with one requirement.
 */
export const constraints = entries('constraints', [
  [
    'hard',
    'en',
    'Write a Python function that merges overlapping time intervals. It must handle unsorted input, intervals that only touch at the ends should be merged too, it must not modify the input list, and it should run in O(n log n).',
    {},
  ],
  [
    'hard',
    'en',
    'I need a bash script that backs up /var/www to S3 every night: keep only the last 14 backups, skip files over 2 GB, send an email if the upload fails, and never run twice at the same time.',
    {},
  ],
  [
    'hard',
    'en',
    'Design a rate limiter for our API: per-user and per-IP limits, bursts allowed up to 20 requests, limits must be shared across 6 server instances, and it should fail open if Redis is down. Describe the data structures and the algorithm.',
    {},
  ],
  [
    'hard',
    'en',
    'Write a cover letter for a junior data analyst role: at most 250 words, mention my SQL and Tableau experience, do not repeat my CV, keep a confident but not arrogant tone, and end with a question to the recruiter.',
    {},
  ],
  [
    'hard',
    'en',
    'Plan a 5-day trip to Japan for two people in April with a budget of 3,000 euros excluding flights: no more than two hotel changes, one day must be in Nara, avoid early mornings, and include at least one vegetarian restaurant per day.',
    {},
  ],
  [
    'hard',
    'de',
    'Schreib eine TypeScript-Funktion, die eine deutsche IBAN prüft: Leerzeichen sollen erlaubt sein, Kleinbuchstaben auch, sie muss die Prüfsumme berechnen und darf keine externe Bibliothek verwenden.',
    {},
  ],
  [
    'hard',
    'de',
    'Erstelle einen Dienstplan für 6 Pflegekräfte über 2 Wochen: jede höchstens 5 Schichten pro Woche, nie Nacht- direkt vor Frühschicht, mindestens zwei Personen pro Schicht und Frau Kaya nur vormittags.',
    {},
  ],
  [
    'hard',
    'de',
    'Übersetze diesen Werbetext ins Englische, aber behalte das Wortspiel bei, bleib unter 40 Wörtern, verwende keine Anglizismen-Klischees und passe die Maßeinheiten für den US-Markt an: "Unser Rad – leicht wie eine Feder, stark wie ein Bär. Nur 9,8 kg!"',
    {},
  ],
  [
    'hard',
    'fr',
    "Écris une fonction JavaScript qui regroupe les commandes par client et par mois : elle doit ignorer les commandes annulées, gérer les fuseaux horaires, trier les mois par ordre chronologique et ne jamais muter le tableau d'origine.",
    {},
  ],
  [
    'hard',
    'fr',
    "Rédige un courriel à un client mécontent : reconnais le retard sans admettre de faute juridique, propose un avoir de 15 % seulement s'il renouvelle son contrat, reste sous 150 mots et évite tout jargon.",
    {},
  ],
  [
    'hard',
    'es',
    'Necesito una consulta SQL que devuelva los 10 productos más vendidos por región en el último trimestre, excluyendo devoluciones, contando solo clientes activos y mostrando el porcentaje sobre el total de la región.',
    {},
  ],
  [
    'hard',
    'es',
    'Organiza la boda de mi hermana en un menú de 3 platos para 80 personas: 12 vegetarianos, 3 celíacos, nada de marisco, presupuesto máximo 45 euros por persona y todo debe poder servirse frío.',
    {},
  ],
  [
    'hard',
    'it',
    'Scrivi un programma in Java che legge un file CSV di transazioni, deve ignorare le righe malformate senza fermarsi, raggruppare per conto, calcolare il saldo e gestire importi con la virgola come separatore decimale.',
    {},
  ],
  [
    'hard',
    'nl',
    'Schrijf een functie in Go die een wachtrij met prioriteiten implementeert: thread-safe, zonder externe packages, met een maximum grootte, en oudste items met dezelfde prioriteit moeten eerst.',
    {},
  ],
  [
    'hard',
    'pt',
    'Escreve um e-mail de despedida para a equipa: no máximo 120 palavras, agradece à Ana e ao Rui pelo nome, não menciones o motivo da saída, mantém um tom caloroso e inclui o meu contacto pessoal no fim.',
    {},
  ],
  [
    'hard',
    'en',
    'Rewrite our password policy for non-technical staff: keep every rule from the original, it must fit on one page, use plain English, explain why each rule exists, and do not use the words "must" or "never".',
    {},
  ],
  [
    'hard',
    'en',
    'Build a study plan for the AWS Solutions Architect exam in 6 weeks: I can only study weekday evenings for 1.5 hours and Saturdays, I already know EC2 and S3 well, include two full practice exams, and leave the last 3 days for review.',
    {},
  ],
  [
    'hard',
    'en',
    'Make a React component for a date-range picker: it should disable past dates, support keyboard navigation, must not depend on moment.js, and has to work with both controlled and uncontrolled usage.',
    {},
  ],
  ['easy', 'en', 'Write a haiku about autumn.', {}],
  ['easy', 'en', 'Shorten this to under 10 words: "We are very happy to let you know that your order has been shipped today."', {}],
  ['easy', 'en', 'Give me a name for a cat. Only one.', {}],
  ['easy', 'de', 'Schreib eine kurze Geburtstagsnachricht für meine Kollegin Anna.', {}],
  ['easy', 'de', 'Nenne drei Synonyme für "schnell".', {}],
  ['easy', 'fr', 'Écris une phrase pour annoncer la réunion de lundi à 9 h.', {}],
  ['easy', 'fr', 'Mets ce titre en majuscules : "les nouveautés de mars".', {}],
  ['easy', 'es', 'Escribe un mensaje corto para felicitar a mi equipo por el lanzamiento.', {}],
  ['easy', 'es', 'Dame un sinónimo de "rápido".', {}],
  ['easy', 'it', 'Scrivi un saluto breve per iniziare una email di lavoro.', {}],
  ['easy', 'nl', 'Schrijf een korte bedankzin voor een collega die me heeft geholpen.', {}],
  ['easy', 'pt', 'Dá-me um título curto para uma publicação sobre café.', {}],
  ['easy', 'en', 'Make this sentence sound friendlier: "Your request has been received."', {}],
  ['easy', 'en', 'What is the plural of "cactus"?', {}],
  ['easy', 'en', 'Write a one-line out-of-office reply, I am back on Monday.', {}],
  ['easy', 'de', 'Korrigiere: "Ich habe gestern in Kino gegangen."', {}],
  ['easy', 'fr', 'Traduis "bonne fin de semaine" en anglais.', {}],
]);
