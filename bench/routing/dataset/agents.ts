import { entries, tool } from './entry.js';

const weather = [tool('get_weather', 'Current weather and forecast for a city', { city: { type: 'string' }, days: { type: 'integer' } }, ['city'])];
const reminders = [
  tool('create_reminder', 'Create a reminder', { text: { type: 'string' }, at: { type: 'string', description: 'ISO 8601' } }),
  tool('list_reminders', 'List upcoming reminders', {}),
];
const crm = [
  tool('search_contacts', 'Search CRM contacts', { query: { type: 'string' } }),
  tool('get_account', 'Account details with contracts and open tickets', { accountId: { type: 'string' } }),
  tool('list_invoices', 'Invoices of an account', { accountId: { type: 'string' }, status: { type: 'string', enum: ['open', 'paid', 'overdue'] } }),
  tool('create_task', 'Create a follow-up task', { accountId: { type: 'string' }, title: { type: 'string' }, due: { type: 'string' } }),
  tool('send_email', 'Send an email', { to: { type: 'string' }, subject: { type: 'string' }, body: { type: 'string' } }),
  tool('schedule_meeting', 'Schedule a meeting', { attendees: { type: 'array', items: { type: 'string' } }, start: { type: 'string' }, minutes: { type: 'integer' } }),
];
const ops = [
  tool('query_metrics', 'PromQL query over the last hours', { query: { type: 'string' }, hours: { type: 'integer' } }),
  tool('get_logs', 'Log lines of a service', { service: { type: 'string' }, since: { type: 'string' }, grep: { type: 'string' } }),
  tool('list_deployments', 'Recent deployments', { service: { type: 'string' } }),
  tool('rollback', 'Roll back a service to a previous release', { service: { type: 'string' }, release: { type: 'string' } }),
  tool('page_oncall', 'Page the on-call engineer', { team: { type: 'string' }, message: { type: 'string' } }),
];
const shop = [
  tool('find_order', 'Find an order by number or email', { query: { type: 'string' } }),
  tool('order_status', 'Shipping status of an order', { orderId: { type: 'string' } }),
];
const travel = [
  tool('search_flights', 'Search flights', { from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string' } }),
  tool('search_hotels', 'Search hotels', { city: { type: 'string' }, checkIn: { type: 'string' }, nights: { type: 'integer' } }),
  tool('get_calendar', 'Events in the user calendar between two dates', { from: { type: 'string' }, to: { type: 'string' } }),
  tool('book', 'Book an offer by id', { offerId: { type: 'string' } }),
  tool('convert_currency', 'Convert an amount', { amount: { type: 'number' }, from: { type: 'string' }, to: { type: 'string' } }),
];
const system = { system: 'You are an assistant with tools. Call tools when you need data; never invent it.' };

export const agents = entries('agents', [
  ['easy', 'en', "What's the weather in Lisbon tomorrow?", { ...system, tools: weather, repeat: 3 }],
  ['easy', 'de', 'Wie wird das Wetter am Wochenende in Hamburg?', { ...system, tools: weather, repeat: 2 }],
  ['easy', 'fr', 'Il fait quel temps à Lyon ?', { ...system, tools: weather }],
  ['easy', 'es', '¿Va a llover hoy en Sevilla?', { ...system, tools: weather }],
  ['easy', 'en', 'Remind me to call the dentist tomorrow at 9.', { ...system, tools: reminders, repeat: 2 }],
  ['easy', 'de', 'Erinnere mich Freitag um 17 Uhr an den Müll.', { ...system, tools: reminders }],
  ['easy', 'en', 'what reminders do i have?', { ...system, tools: reminders }],
  ['easy', 'en', 'Where is my order 40912?', { ...system, tools: shop, repeat: 2 }],
  ['easy', 'fr', 'Où en est ma commande ? mon email est claire.dubois@mail.example', { ...system, tools: shop }],
  ['easy', 'en', 'Find the contact details of Maria Lopez at Brightline.', { ...system, tools: crm }],
  ['easy', 'en', 'Look up the overdue invoices of account ACME-204.', { ...system, tools: crm }],
  ['easy', 'en', 'Convert 250 USD to EUR.', { ...system, tools: travel }],
  [
    'hard',
    'en',
    'Prepare my renewal call with Brightline: pull their account, check which invoices are overdue and which tickets are still open, then draft an email to their CFO proposing a 30-minute call next week that acknowledges the open issues, and create a follow-up task for me two days before the contract end.',
    { ...system, tools: crm },
  ],
  [
    'hard',
    'de',
    'Such alle Kunden mit überfälligen Rechnungen über 5.000 €, schreib jedem eine freundliche, aber bestimmte Zahlungserinnerung in seiner Sprache, und leg für die drei größten Beträge eine Aufgabe für das Account-Management an.',
    { ...system, tools: crm },
  ],
  [
    'hard',
    'en',
    'Checkout latency p99 jumped from 300ms to 4s about an hour ago. Investigate: check the metrics, recent deployments and logs of checkout and its dependencies, tell me the most likely cause, and roll back only if a deployment is clearly to blame. Page payments on-call if it is their service.',
    { ...system, tools: ops },
  ],
  [
    'hard',
    'fr',
    'Depuis ce matin le service de recherche renvoie des erreurs 502 par intermittence. Regarde les métriques, les logs et les derniers déploiements, et propose un diagnostic avant de toucher à quoi que ce soit.',
    { ...system, tools: ops },
  ],
  [
    'hard',
    'en',
    'I need to be in Madrid for a workshop on the 14th at 9:00 and back in Berlin by the 16th evening. Check my calendar for conflicts, find flights and a hotel within walking distance of Calle de Alcalá under 150 EUR a night, and give me the two best combinations with total cost before booking anything.',
    { ...system, tools: travel },
  ],
  [
    'hard',
    'es',
    'Organiza un viaje de trabajo a Ciudad de México para tres personas la semana del 10 de junio: revisa mi calendario, busca vuelos desde Madrid y hotel cerca de Reforma, convierte los precios a euros y propón la opción más barata que no choque con mis reuniones.',
    { ...system, tools: travel },
  ],
  [
    'hard',
    'de',
    'Plane mir eine Dienstreise nach Wien nächste Woche: Kalender prüfen, günstigste Verbindung und ein Hotel in der Nähe vom Westbahnhof für zwei Nächte, aber noch nichts buchen.',
    { ...system, tools: travel },
  ],
]);
