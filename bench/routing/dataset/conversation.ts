import { entries } from './entry.js';

const companion = { system: 'You are Breeze, a friendly assistant in a travel app.' };
const tutorHistory = [
  'Can you help me with my physics homework?',
  'Of course! What are you working on?',
  'Projectile motion. A ball is thrown at 20 m/s at 30 degrees.',
  "Great, let's split the velocity into components: vx = 20·cos 30° ≈ 17.3 m/s and vy = 20·sin 30° = 10 m/s. What would you like to find?",
  'How long is it in the air?',
  'Time of flight is 2·vy/g ≈ 2·10/9.81 ≈ 2.04 s.',
  'And how far does it go?',
  'Range = vx · t ≈ 17.3 · 2.04 ≈ 35.3 m.',
  'ok and how high does it get',
  'Maximum height = vy²/(2g) ≈ 100/19.62 ≈ 5.1 m.',
];
const codeHistory = [
  'Here is my function, it returns wrong totals sometimes:\n```ts\nexport function total(items: Item[]) {\n  return items.reduce((sum, item) => sum + item.price * item.qty, 0).toFixed(2);\n}\n```',
  'One issue: toFixed returns a string, so callers that add totals concatenate strings. Another is floating-point rounding; work in cents.',
  'ok I changed it to cents.',
  'Good. Make sure prices are integers of cents everywhere they enter the system, including the API input.',
];
const chatHistory = ['hey', 'Hi! How can I help today?', "I'm going to Porto next month", 'Lovely! Porto is beautiful in that season. Do you need tips on what to see?'];

export const conversation = entries('conversation', [
  ['easy', 'en', 'hi!', { ...companion, repeat: 3 }],
  ['easy', 'en', 'Good morning, how are you?', companion],
  ['easy', 'de', 'Hallo, wer bist du?', { ...companion, repeat: 2 }],
  ['easy', 'fr', "Salut ! Tu peux m'aider ?", companion],
  ['easy', 'es', 'Hola, ¿qué tal?', companion],
  ['easy', 'en', 'Tell me a joke about penguins.', { repeat: 2 }],
  ['easy', 'en', "thank you so much, you're the best", companion],
  ['easy', 'en', 'Why is the sky blue?', { repeat: 2 }],
  ['easy', 'de', 'Warum ist der Himmel blau?', {}],
  ['easy', 'fr', 'Pourquoi les feuilles changent-elles de couleur en automne ?', {}],
  ['easy', 'es', '¿Por qué el mar es salado?', {}],
  ['easy', 'en', 'What is the capital of Australia?', { repeat: 2 }],
  ['easy', 'en', 'Who wrote "One Hundred Years of Solitude"?', {}],
  ['easy', 'de', 'Wann ist der nächste Feiertag in Bayern?', {}],
  ['easy', 'en', 'Explain what an API is in one sentence.', {}],
  ['easy', 'en', 'What should I pack for a weekend hike in the Alps in September?', { repeat: 2 }],
  ['easy', 'fr', 'Que faut-il emporter pour un week-end de randonnée en montagne ?', {}],
  ['easy', 'en', 'Recommend three things to do in Porto.', { ...companion, history: chatHistory }],
  ['easy', 'en', "what's the best time of day to visit the Livraria Lello?", { ...companion, history: chatHistory }],
  ['easy', 'en', 'Can you explain the difference between weather and climate to a 10-year-old?', {}],
  ['easy', 'es', 'Dame una receta fácil de tortilla de patatas.', { repeat: 2 }],
  ['easy', 'en', 'How many cups are in a litre?', {}],
  ['easy', 'en', 'and what is the speed when it lands?', { history: tutorHistory }],
  ['easy', 'en', 'thanks! and in which unit should I write the answer?', { history: tutorHistory }],
  ['easy', 'en', 'Thanks, that fixed it!', { history: codeHistory }],
  [
    'hard',
    'en',
    'Now add a discount rule: 10% off the whole basket above 100 EUR, but items already on sale are excluded from both the threshold and the discount. Show the updated function and tests for the edge cases.',
    { history: codeHistory },
  ],
  ['hard', 'en', 'now what if there is air resistance proportional to the velocity? how does the range change, can you derive it?', { history: tutorHistory }],
  ['hard', 'de', 'Ok, und wie sieht es aus, wenn der Ball von einer 10 m hohen Klippe geworfen wird? Bitte mit Herleitung.', { history: tutorHistory }],
  ['easy', 'es', '¿Cuál es la capital de Australia?', {}],
  ['easy', 'en', 'how come the sky is blue and not purple?', {}],
]);
