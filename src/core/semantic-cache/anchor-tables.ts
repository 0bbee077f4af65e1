/**
 * Word tables of the "different question" guard, by meaning, in English, German, French and
 * Spanish (accent-folded, lowercase). A table, not logic: add a language by adding rows.
 */

/**
 * A lookup table without a prototype: words like "constructor" or "toString" are looked up as
 * they are typed, and must not find Object's methods.
 */
function table<T = string>(entries: Iterable<readonly unknown[]>): Readonly<Record<string, T>> {
  return Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries as Iterable<readonly [string, T]>));
}

/** Spelled-out numbers, so "two tickets" and "2 tickets" agree and "two" vs "three" differ. Words that double as articles (one, ein, un, uno) are left out. */
export const numberWords: Readonly<Record<string, number>> = table<number>(
  Object.entries({
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    twenty: 20,
    thirty: 30,
    forty: 40,
    fifty: 50,
    hundred: 100,
    thousand: 1000,
    dozen: 12,
    million: 1e6,
    zwei: 2,
    drei: 3,
    vier: 4,
    funf: 5,
    sechs: 6,
    sieben: 7,
    acht: 8,
    neun: 9,
    zehn: 10,
    elf: 11,
    zwolf: 12,
    zwanzig: 20,
    dreissig: 30,
    hundert: 100,
    tausend: 1000,
    deux: 2,
    trois: 3,
    quatre: 4,
    cinq: 5,
    sept: 7,
    huit: 8,
    neuf: 9,
    dix: 10,
    onze: 11,
    douze: 12,
    vingt: 20,
    trente: 30,
    cent: 100,
    mille: 1000,
    dos: 2,
    tres: 3,
    cuatro: 4,
    cinco: 5,
    seis: 6,
    siete: 7,
    ocho: 8,
    nueve: 9,
    diez: 10,
    doce: 12,
    veinte: 20,
    treinta: 30,
    cien: 100,
    mil: 1000,
  }),
);

/** Month and weekday names and relative days; the value is the anchor. */
export const dateWords: Readonly<Record<string, string>> = table([
  ...[
    ['january jan januar janvier enero', 1],
    ['february feb februar fevrier febrero', 2],
    ['march mar marz mars marzo', 3],
    ['april apr avril abril', 4],
    ['may mai mayo', 5],
    ['june jun juni juin junio', 6],
    ['july jul juli juillet julio', 7],
    ['august aug aout agosto', 8],
    ['september sep sept septembre septiembre', 9],
    ['october oct oktober octobre octubre', 10],
    ['november nov novembre noviembre', 11],
    ['december dec dezember decembre diciembre', 12],
  ].flatMap(([names, month]) => (names as string).split(' ').map((name) => [name, `month:${month}`])),
  ...[
    ['monday montag lundi lunes', 1],
    ['tuesday dienstag mardi martes', 2],
    ['wednesday mittwoch mercredi miercoles', 3],
    ['thursday donnerstag jeudi jueves', 4],
    ['friday freitag vendredi viernes', 5],
    ['saturday samstag samedi sabado', 6],
    ['sunday sonntag dimanche domingo', 7],
  ].flatMap(([names, day]) => (names as string).split(' ').map((name) => [name, `weekday:${day}`])),
  ...[
    ['today tonight heute aujourdhui hoy', 'day:0'],
    ['tomorrow morgen demain manana', 'day:+1'],
    ['yesterday gestern hier ayer', 'day:-1'],
    ['weekend wochenende', 'weekend'],
    ['morning vormittag matin', 'part:morning'],
    ['evening abend soir noche', 'part:evening'],
    ['afternoon nachmittag tarde', 'part:afternoon'],
  ].flatMap(([names, anchor]) => (names as string).split(' ').map((name) => [name, anchor])),
]);

/** Negation and absence: a question with one of these is not the question without it. */
export const negationWords: ReadonlySet<string> = new Set(
  (
    'not no never without none nothing nobody cannot neither nor unable dont doesnt didnt cant wont isnt arent wasnt shouldnt couldnt ' +
    'nicht kein keine keinen keiner keinem keines nie niemals ohne nichts ' +
    'ne pas jamais sans aucun aucune rien ni ' +
    'nunca sin ningun ninguna ninguno nada tampoco jamas ' +
    'non senza nessun nessuno nessuna niente nulla ' +
    'niet geen nooit zonder niets ' +
    'nao sem nenhum nenhuma nunca'
  ).split(' '),
);

/**
 * Opposite directions: [group, pole, pattern]. The first matching row names a token, so the
 * longer word (disable, deaktivieren, unlock) is listed before the one it contains.
 */
export const directionWords: ReadonlyArray<readonly [string, '+' | '-', RegExp]> = [
  ['enable', '-', /^(disabl|deactivat|deaktivier|ausschalt|desactiv|apag)/],
  ['enable', '+', /^(enabl|activat|aktivier|einschalt|encend|allum)|^(activer|activez|activar|activa|active)$/],
  ['lock', '-', /^(unlock|entsperr|deverrouill|desbloque)/],
  ['lock', '+', /^(lock|sperr|verrouill|bloque)/],
  ['install', '-', /^(uninstall|deinstall|desinstal)/],
  ['install', '+', /^(install|instal)/],
  ['connect', '-', /^(disconnect|deconnect|desconect|trenn)/],
  ['connect', '+', /^(connect|verbind|conect)/],
  ['subscribe', '-', /^(unsubscrib|abbestell|desabonn|desinscri|desuscri|kundig)/],
  ['subscribe', '+', /^(subscrib|abonnier|abonn|suscri)/],
  ['login', '-', /^(logout|signout|abmeld)$/],
  ['login', '+', /^(login|signin|anmeld)$/],
  ['amount', '+', /^(increas|raise|raised|raises|raising|erhoh|augment|aument)|^(higher|hoher|more|mehr|plus|mas|grow|grows)$/],
  ['amount', '-', /^(decreas|reduc|verringer|senk|reduzier|diminu|baiss|reduir|disminu)|^(lower|lowers|lowered|lowering|less|fewer|weniger|moins|menos|shrink)$/],
  ['extreme', '+', /^(max|maximum|maximal|largest|biggest|highest|most|hochste|hochsten|maximo|maxima)$/],
  ['extreme', '-', /^(min|minimum|minimal|smallest|lowest|least|mindest|kleinste|niedrigste|minimo|minima)$/],
  ['order', '-', /^(before|avant|antes|prior)$/],
  ['order', '+', /^(after|apres|despues|afterwards)$/],
  ['trade', '-', /^(sell|sells|selling|sold|verkauf|vend)/],
  ['trade', '+', /^(buy|buys|buying|bought|purchas|kauf|achet|compra|compro|compre)/],
  ['transfer', '-', /^(export|exportier)/],
  ['transfer', '+', /^(import(?!an)|importier)/],
  ['crypt', '-', /^(decrypt|entschlussel|dechiffr|descifr)/],
  ['crypt', '+', /^(encrypt|verschlussel|chiffr|cifr)/],
  ['load', '-', /^(download|herunterlad|telecharg|descarg|baix|scaric)/],
  ['load', '+', /^(upload|hochlad|televers)/],
  ['change', '-', /^(remove|removing|delet|entfern|losch|supprim|elimin|borr|uninvit)/],
  ['change', '+', /^(add|adds|added|adding|hinzufug|ajout|agreg|anad)$|^(hinzufug|ajout|agreg|anad)/],
  ['run', '-', /^(stop|stopp|beend|arret|deten)/],
  ['run', '+', /^(start|begin|commenc|empez|inici)/],
  ['door', '-', /^(close|closing|closed|schliess|schlie|ferm|cerr)/],
  ['door', '+', /^(open|opening|opened|opens|offn|ouvr)|^(abrir|abre|abro|abierto)$/],
  ['include', '-', /^(exclud|exklu)/],
  ['include', '+', /^(includ|inklu|inclu)/],
  ['permit', '-', /^(deny|denied|block|verbiet|interdi|prohib|forbid)/],
  ['permit', '+', /^(allow|permit|erlaub|autoris|autoriz)/],
  ['visible', '-', /^(hide|hidden|hiding|verberg|versteck|ocult|escond)/],
  ['visible', '+', /^(show|display|anzeig|zeig|affich|mostr)/],
  ['sort', '-', /^(descend|absteig|decroiss)/],
  ['sort', '+', /^(ascend|aufsteig|croiss|ascend)/],
  ['rank', '-', /^(last|letzt|derni|ultim)/],
  ['rank', '+', /^(first|erste|ersten|erster|erstes|premier|premiere|primer|primera|primero)$/],
  ['sequence', '-', /^(previous|vorig|precedent|anterior)/],
  ['sequence', '+', /^(next|nachst|prochain|proxim|siguient)/],
  ['age', '-', /^(oldest|earliest|altest)$/],
  ['age', '+', /^(newest|latest|neuest)$/],
  ['ledger', '-', /^(debit|lastschrift)/],
  ['ledger', '+', /^(credit|gutschrift)/],
  ['decision', '-', /^(reject|declin|ablehn|refus|rechaz)/],
  ['decision', '+', /^(accept|akzept|annehm|acept)/],
  ['price', '-', /^(cheap|cheapest|billig|gunstig|barato)/],
  ['price', '+', /^(expensive|teuer|cher|chere|caro)$/],
  ['threshold', '-', /^(under|below|beneath|unter|unterhalb|dessous|debajo|sotto|onder|abaixo)$/],
  ['threshold', '+', /^(over|above|exceeding|oberhalb|dessus|encima|sopra|boven|acima)$/],
  ['pull', '-', /^(push|pushes|pushed|pushing)$/],
  ['pull', '+', /^(pull|pulls|pulled|pulling)$/],
  ['tier', '-', /^(downgrad)/],
  ['tier', '+', /^(upgrad)/],
  ['funds', '-', /^(withdraw|withdrew|withdrawal|abheb|retir)/],
  ['funds', '+', /^(deposit|einzahl|depos)/],
  ['grant', '-', /^(revok|widerruf|revoqu|revoc)/],
  ['grant', '+', /^(grant|granted|granting|grants)$/],
  ['follow', '-', /^(unfollow)/],
  ['follow', '+', /^(follow|follows|followed|following)$/],
  ['mute', '-', /^(unmut)/],
  ['mute', '+', /^(mute|mutes|muted|muting)$/],
  ['pin', '-', /^(unpin)/],
  ['pin', '+', /^(pin|pins|pinned|pinning)$/],
  ['compress', '-', /^(decompress|unzip|entpack|dezip|descomprim|decomprim)/],
  ['compress', '+', /^(compress|zip|zipped|zipping|zippen|packen|compresser|comprim)/],
  ['way', '-', /^(inbound|incoming|eingehend|entrant)/],
  ['way', '+', /^(outbound|outgoing|ausgehend|sortant)/],
];

/** Particles after these verbs carry the direction: turn on/off, log in/out, opt in/out. */
export const phrasalVerbs: ReadonlySet<string> = new Set(['turn', 'switch', 'power', 'toggle', 'log', 'sign', 'opt', 'check', 'scale', 'zoom', 'scroll']);
export const particles: Readonly<Record<string, string>> = table(Object.entries({ on: 'on+', off: 'on-', in: 'in+', out: 'in-', up: 'up+', down: 'up-' }));

/** Units and currencies; a unit counts after a number ("5 km"), a currency anywhere. */
export const unitWords: Readonly<Record<string, string>> = table(
  [
    ['km kms kilometer kilometers kilometre kilometres kilometern kilometro kilometros', 'km'],
    ['mi mile miles meile meilen milla millas', 'mile'],
    ['m meter meters metre metres metro metros', 'm'],
    ['cm centimeter centimeters zentimeter centimetre centimetres centimetro', 'cm'],
    ['mm millimeter millimeters', 'mm'],
    ['in inch inches zoll pouce pouces pulgada pulgadas', 'inch'],
    ['ft foot feet fuss pied pieds pie pies', 'ft'],
    ['kg kgs kilo kilos kilogram kilograms kilogramm kilogramme kilogrammes kilogramo kilogramos', 'kg'],
    ['g gram grams gramm gramme grammes gramo gramos', 'g'],
    ['lb lbs pound pounds pfund livre livres libra libras', 'lb'],
    ['oz ounce ounces unze unzen once onces onza onzas', 'oz'],
    ['l liter liters litre litres litro litros', 'l'],
    ['ml milliliter milliliters millilitre', 'ml'],
    ['gallon gallons gallone gallonen galon galones', 'gallon'],
    ['c celsius', 'celsius'],
    ['f fahrenheit', 'fahrenheit'],
    ['% percent per cent prozent pourcent porcentaje', 'percent'],
    ['kb kilobyte kilobytes', 'kb'],
    ['mb megabyte megabytes', 'mb'],
    ['gb gigabyte gigabytes', 'gb'],
    ['tb terabyte terabytes', 'tb'],
    ['mbps', 'mbps'],
    ['gbps', 'gbps'],
    ['s sec secs second seconds sekunde sekunden seconde secondes segundo segundos', 'second'],
    ['min mins minute minutes minuten minuto minutos', 'minute'],
    ['h hr hrs hour hours stunde stunden heure heures hora horas', 'hour'],
    ['day days tag tage tagen jour jours dia dias', 'day'],
    ['week weeks woche wochen semaine semaines semana semanas', 'week'],
    ['month months monat monate monaten mois mes meses', 'month'],
    ['year years jahr jahre jahren an ans annee annees ano anos', 'year'],
    ['am', 'am'],
    ['pm', 'pm'],
    ['x times mal fois veces', 'times'],
  ].flatMap(([names, unit]) => names!.split(' ').map((name) => [name, unit!])),
);

export const currencyWords: Readonly<Record<string, string>> = table(
  [
    ['$ usd dollar dollars dolar dolares', 'usd'],
    ['€ eur euro euros', 'eur'],
    ['£ gbp sterling', 'gbp'],
    ['¥ jpy yen', 'jpy'],
    ['chf franken', 'chf'],
    ['cad', 'cad'],
    ['aud', 'aud'],
    ['mxn peso pesos', 'mxn'],
    ['inr rupee rupees', 'inr'],
  ].flatMap(([names, currency]) => names!.split(' ').map((name) => [name, currency!])),
);

/** Capitalised words that open questions or are capitalised by convention, not names. */
export const notNames: ReadonlySet<string> = new Set(
  (
    'i ok okay hi hello hey thanks please yes no ' +
    'ich sie du wir ihr ihre ihren ihrem ihrer ihnen bitte hallo danke ' +
    'je vous tu nous bonjour merci oui non ' +
    'yo usted ustedes hola gracias si'
  ).split(' '),
);

/**
 * Question words that ask for another kind of answer: a time, a place, a reason, a person.
 * "When is my order shipped?" is not "Why is my order shipped?". "How", "what" and "which"
 * only frame a question ("how do I" / "what are the steps to") and are not here; nor are words
 * another of these languages spells alike for something else (Dutch "wie" is "who", German
 * "wie" is "how"; French "qui" also joins clauses). French "où" is told from "ou" (or) by its
 * accent, before folding (anchors.ts).
 */
export const questionWords: Readonly<Record<string, string>> = table(
  [
    ['when wann quand cuando quando wanneer', 'q:when'],
    ['where wo wohin woher donde adonde dove waar waarheen onde aonde', 'q:where'],
    ['why warum wieso weshalb weswegen pourquoi perche waarom', 'q:why'],
    ['who whom whose wer wem wen wessen quien quienes chi quem', 'q:who'],
  ].flatMap(([words, anchor]) => words!.split(' ').map((word) => [word, anchor!])),
);

/**
 * Words that narrow or widen what a question covers: "export the selected rows" is not
 * "export only the selected rows", "all items" is not "all items except shoes", and "reset my
 * password" is not "reset his password" (another person's account: another answer).
 */
export const scopeWords: Readonly<Record<string, string>> = table(
  [
    ['only solely exclusively nur lediglich ausschliesslich seulement uniquement solo solamente soltanto unicamente alleen enkel apenas somente', 'scope:only'],
    ['except excepting besides ausser sauf excepto salvo tranne eccetto behalve exceto', 'scope:except'],
    ['he she him his her hers himself herself', 'scope:third-person'],
  ].flatMap(([words, anchor]) => words!.split(' ').map((word) => [word, anchor!])),
);
