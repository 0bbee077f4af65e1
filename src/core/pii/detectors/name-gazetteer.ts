import type { Detection } from '../pii-type.js';
import { englishWordNameList, familyNameList, givenNameList } from './name-lists.js';
import { extraFamilyNames, extraGivenNames } from './name-lists-extra.js';

const words = (lines: readonly string[]) => new Set(lines.flatMap((line) => line.split(' ')));
let lists: { given: Set<string>; family: Set<string>; ambiguous: Set<string> } | undefined;

/**
 * Given names that are also words, places, products or languages people write about; these
 * count only with a known family name after them ("Grace Hopper", not "Grace period").
 */
const alsoWords = `Claude Julia Ada Pascal Mark Grace Chase Amber Iris Page Sunny Angel Santa Alexa Siri Gemini Aurora Luna Nova Stella
  Celeste Esperanza Dolores Lucky Rich Pat Jack Rock Cliff Glen Heath Dale Shelby Harley Tesla Don Del Dom Cruz Paz Luz Sol Mar Reyes
  Ernst Kai Mai Wolf Marin Rosa Fortuna Amor Bonita Alba Cielo Estrella Gloria Mercedes Victoria Florence Jordan Austin Sydney Chelsea
  Madison Lincoln Jackson Kelly Nick Bob Sonic Echo River Ocean Rain Dusty Sparky Buddy Chip Cash Gold Silver Star Sun Moon Rio Roma
  Aria Aurelia Bianca Nina Lola Tina Gina Paloma Clemente Benigno Felice Fausto Gioia Speranza Serena Chiara Franca Vera Dina Lia Ilse
  Heide Linde Rune Sten Bo Liv Mads Frode Siv Server Hilton Milano Roma Napoli Torino Firenze Venezia Paris London Berlin Wien Madrid
  Lisboa Porto Meta Vitale Romeo Zara Nike Travis Ola Oma Opa Carolina Europa Africa India China Valencia Sevilla Granada Lima Quito Bogota
  Apollo Haskell Fedora Kali Arduino Avril Abril Agosto Marzo Job Ben Bill Hope Faith Joy Dawn Summer Autumn Winter Buck Sue Drew Grant
  Lance Wade Norman Devon Chester Stanley Destiny Serenity Harmony Blaze Miracle Precious Forest Colt Lion Orion Opal Garnet Diamond
  Magnolia Dahlia Clementine Berry Floor Ginger Parfait Sim Noël Natale`;

function load() {
  lists ??= {
    given: words([...givenNameList, ...Object.values(extraGivenNames).map((names) => names.trim())].flatMap((line) => line.split(/\s+/))),
    family: words([...familyNameList, ...Object.values(extraFamilyNames).map((names) => names.trim())].flatMap((line) => line.split(/\s+/))),
    ambiguous: new Set([...words(englishWordNameList), ...alsoWords.split(/\s+/)]),
  };
  return lists;
}

// Capitalised words as names are written: Jean-Pierre, O'Brien, McDonald, DeShawn, Müller, Çelik.
const capitalised = /(?<![\p{L}\p{N}_@'’./\\-])\p{Lu}(?:[\p{Ll}'’]+(?:\p{Lu}[\p{Ll}'’]+)?|['’]\p{Lu}[\p{Ll}'’]+)(?:-\p{Lu}[\p{Ll}'’]+)?(?![\p{L}\p{N}_@-]|[.'’/\\][\p{L}\p{N}])/gu;
const particles = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'du',
  'la',
  'le',
  'ter',
  'ten',
  'zu',
  'bin',
  'al',
  'van der',
  'van den',
  'de la',
  'von der',
]);
// Capitalised words that follow a given name without being a family name.
const notFamily = new Set(
  `The And Und Und Der Die Das Den Dem Des Ein Eine Le La Les Il Lo El Los Las Et Y E O Ou Of To In On At For From With Is Was Has Had Will
  Can May Our Your My His Her Their This That Team Support Sales Service Street Station Road Avenue Square Airport University College
  School Hospital Park Bridge Hotel Inc Ltd Llc Gmbh Ag Group Bank Foundation Institute Museum Church Cathedral Lake River Mountain Island
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July August September October November December
  Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Januar Februar März Juni Juli Oktober Dezember Lundi Mardi Mercredi Jeudi
  Vendredi Samedi Dimanche Janvier Février Mars Avril Juin Juillet Août Septembre Octobre Novembre Décembre Hi Hello Dear Thanks Regards
  Sie Ich Wir Ihr Er Es Bitte Können Könnten Elle Nous Vous Het Een Ik Wij Zij Você Ask Tell Call Email Send Ping Cc
  Met Mit Bei Für Mit Con Com Avec Pour Par Per Para Por Bij Voor Door Aan Naar Om Ook En Of Maar Dus Na Przez Dla Od Do Ze Oraz Lub Ale
  Tra Fra Sur Sous Chez Sans Entre Sobre Und Oder Aber Auch Mais Pero Dat Die Deze Dit Als Wenn Quand Cuando Quando Se Si
  Ask Thanks Thank Spoke Talked Met Meet Meeting Ping Tell Please Kindly Hey Hi Hello Dear`.split(/\s+/),
);

// Lower-case chat: "ask rahul", "tell sarah", "hey priya", "cc anouk", "vraag bram", "frag jürgen".
// The cue is required: a lower-case word alone is far more often a word than a name.
const lowercaseCue =
  /(?<![\p{L}])(?:ask|asked|tell|told|ping|pinged|cc|remind|thanks|thank|thx|hi|hey|hello|spoke to|speak to|talk to|talked to|call|email|message|dm|vraag|bel|mail|groetjes|frag|sag|danke|merci|demande à|pregunta a|chiedi a|pergunta ao?|zapytaj)[ \t]+(\p{Ll}[\p{Ll}'’-]{2,19})(?:[ \t]+(\p{Ll}[\p{Ll}'’-]{1,19}))?(?![\p{L}\p{N}@_])/dgu;
const notLowercaseNames = new Set(
  `the and for you him her them his me us our all everyone team there guys folks again again so very much about back from with this that what
  when where which who how why if not just also still later soon now today tomorrow anyway anyone someone somebody nobody everybody people
  support sales billing admin customer service manager boss mum mom dad bro mate sir madam dev devs ops trace jarvis bot`.split(/\s+/),
);
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Lower-case given names right after a cue ("ask rahul", "hey priya sharma"), with a known family name after them if there is one. */
export function detectLowercaseNames(text: string): Detection[] {
  const { given, family, ambiguous } = load();
  const found: Detection[] = [];
  for (const match of text.matchAll(lowercaseCue)) {
    const first = match[1]!;
    const name = capitalise(first);
    if (notLowercaseNames.has(first) || !given.has(name) || ambiguous.has(name) || family.has(name)) continue;
    const [start, firstEnd] = match.indices![1]!;
    const second = match[2];
    const end = second && family.has(capitalise(second)) ? match.indices![2]![1] : firstEnd;
    found.push({ type: 'NAME', start, end });
  }
  return found;
}

// "K. Ramesh", "S.K. Gupta", "J. de Vries": initials, then a known given or family name.
const initialsThenName =
  /(?<![\p{L}\p{N}.])(?:\p{Lu}\.[ \t]?){1,3}[ \t]?(?:(?:van|von|de|der|den|di|da|du|le|la|del|della|dos|das|ter|ten)[ \t]+){0,2}(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)(?![\p{L}\p{N}])/gu;

/** Initials before a known given or family name ("K. Ramesh", "S.K. Gupta", "J. de Vries"). */
export function detectInitialledNames(text: string): Detection[] {
  if (!/\p{Lu}\./u.test(text)) return [];
  const { given, family, ambiguous } = load();
  const found: Detection[] = [];
  for (const match of text.matchAll(initialsThenName)) {
    const name = match[1]!;
    if ((family.has(name) || given.has(name)) && !ambiguous.has(name)) found.push({ type: 'NAME', start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/**
 * A given name in a Polish case form: "Piotrem", "Piotrowi", "Piotra" (Piotr), "Tomka" (Tomek),
 * "Kasi" (Kasia), "Annę", "Anną", "Anny" (Anna). The word must hold a Polish ending and its
 * base form be a known, unambiguous given name.
 */
function inflectedGiven(word: string, given: Set<string>, ambiguous: Set<string>): boolean {
  if (word.length < 4) return false;
  const bases: string[] = [];
  if (word.endsWith('owi')) bases.push(word.slice(0, -3), `${word.slice(0, -4)}ek`);
  if (word.endsWith('em')) bases.push(word.slice(0, -2), `${word.slice(0, -3)}ek`);
  if (/[au]$/.test(word)) bases.push(word.slice(0, -1), `${word.slice(0, -2)}ek`);
  if (/[ęąy]$/.test(word)) bases.push(`${word.slice(0, -1)}a`);
  if (word.endsWith('i')) bases.push(`${word.slice(0, -1)}ia`, `${word.slice(0, -1)}a`);
  return bases.some((base) => base.length >= 3 && given.has(base) && !ambiguous.has(base));
}

/** Whether a lone capitalised word is a given name that is also a common word, place or product ("Grace", "Claude", "Paris"). */
export function isAmbiguousName(word: string): boolean {
  return load().ambiguous.has(word);
}

// "Indira Gandhi airport", "Rajiv Chowk metro", "Walt Disney World": a place or organisation named after someone.
export const placeAfter =
  /^[ \t]+(?:street|station|road|avenue|square|airport|university|college|school|hospital|park|bridge|hotel|inc|ltd|llc|gmbh|ag|group|bank|straße|platz|stadium|museum|metro|market|bay|world|centre|center|marg|nagar|chowk|bagh|foundation|institute|award|prize|memorial|international|trophy|cup|festival|utsav|jayanti|puja|mela|chaturthi)\b/i;

// The same, for words that are also common lower-case words ("falls", "drive", "close"): capitalised only.
// "Mercedes-Benz Arena", "Royal Albert Hall", "Jane Austen Centre", "Anne Frank Huis", "Rudi-Dutschke-Straße".
const placeAfterCapitalised =
  /^[ \t]+(?:Arena|Hall|Lane|Drive|Way|Close|Crescent|Place|Terrace|Court|Falls|Beach|Island|Gardens?|Tower|Mall|Gallery|Library|Church|Cathedral|Castle|Palace|Zoo|Clinic|Theatre|Theater|Centre|Halle|Kirche|Dom|Huis|Kerk|Plein|Straat|Laan|Gracht|Allee|Ufer|Weg|Ring|Gasse|Damm|Markt|Stadion|Estadio|Stadio|Teatro|Théâtre|Lycée|Collège|École|Ospedale|Hospital|Liceo|Scuola|Colegio|Escola|Szpital|ArenA|Post|Times|Globe|Herald|Tribune|Gazette|Chronicle|Journal|Burger|Pizza|Grill|Bistro|Kitchen|Bakery|Brewery|Records|Airlines?|Motors|Foods?|Holdings|Partners|Associates|Capital|Ventures|Solutions|Systems|Technologies|Pharma|Textiles|Ceramiche)(?![\p{L}])/u;
// One word with a street or building ending, hyphenated after a person's name: "Willem-Alexanderplein",
// "Ludwig-Erhard-Allee", "Sophie-Charlotte-Platz", "Konrad-Adenauer-Ufer", "Jan-Pieterszoon-Coenstraat".
const compoundPlace =
  /-\p{L}*(?:plein|straat|laan|gracht|kade|dijk|singel|park|platz|straße|strasse|allee|ufer|weg|gasse|ring|damm|brücke|markt|bahnhof|kirche|schule|haus|halle|stadion|huis|school|kerk|centrum|brug|hof|gymnasium)$/iu;

/** Whether the text right after a name makes it a place or an organisation ("… Station", "… Arena"). */
export const namedPlaceAfter = (after: string) => placeAfter.test(after) || placeAfterCapitalised.test(after);

/** "Nelson Mandela Bay", "Walt Disney World", "Willem-Alexanderplein": a span whose last word makes it a place or an organisation. */
export const endsWithPlace = (span: string) => namedPlaceAfter(span.slice(span.lastIndexOf(' '))) || compoundPlace.test(span);

// A capitalised word before a name that makes it a place: "Lake Louise", "Santa Maria Novella", "Cape Henry".
const placeBeforeCapitalised =
  /(?:^|[^\p{L}])(?:Lake|Mount|Mt|St|Ste|Saint|Sainte|Santa|Santo|San|São|Sankt|Cape|Port|Fort|Lac|Monte|Villa|Hotel|Café|Club|Gare|Station|Rue|Via|Calle|Avenida|Rua|Piazza|Plaza|Place|Alfa|Aston)\.?[ \t]+$/u;
// Street, square, room and station words in either case, with the particle a street name takes
// after them: "boulevard Jean Jaurès", "Plaza de Isabel II", "Ulica Jana Pawła II", "salle Voltaire", "gare Saint-Lazare".
const streetBefore =
  /(?:^|[^\p{L}])(?:[Rr]ue|[Bb]oulevard|[Aa]venue|[Aa]llée|[Qq]uai|[Pp]lace|[Ss]alle|[Ss]ala|[Ss]aal|[Zz]aal|[Cc]alle|[Aa]venida|[Pp]aseo|[Pp]laza|[Vv]iale|[Cc]orso|[Pp]iazza|[Ll]argo|[Rr]ua|[Tt]ravessa|[Pp]raça|[Uu]lica|[Aa]leja|[Pp]lac|[Oo]siedle|[Gg]are|[Ss]tazione|[Ee]stación|[Ee]stação|[Aa]eroporto|[Aa]eropuerto|[Aa]éroport|[Ll]otnisko|[Ll]ycée|[Cc]ollège|[ÉéEe]cole|[Ee]scuela|[Cc]olegio|[Ll]iceo|[Ii]stituto|[Ss]cuola|[Gg]ymnasium|[Ss]zkoła|[Mm]étro|[Mm]etro|[Hh]ôpital|[Oo]spedale|[Cc]linique|[Ss]tade|[Ss]tadio|[Ee]stadio|[Ss]tadion|[Pp]arc|[Pp]arque|[Pp]arco|[Mm]usée|[Mm]useo|[Tt]eatro|[Tt]héâtre|[Uu]niversité|[Uu]niversidad|[Uu]niversità|[Uu]niversidade|[Uu]niwersytet|[Éé]glise|[Ii]glesia|[Cc]hiesa|[Ii]greja|[Kk]ościół|[Ii]mpasse|[Cc]hemin|[Cc]ours|[Ss]trada|[Cc]arrer|[Cc]amino|[Ee]strada|[Vv]icolo|(?:ul|al|os|bd|av|pl)\.)[ \t]+(?:(?:de|del|de la|des|du|do|da|dos|das|di|della|degli|im|am|an der|van|von)[ \t]+)?$/u;
export const placeBefore = { test: (before: string) => placeBeforeCapitalised.test(before) || streetBefore.test(before) };
// A span that starts with a saint's title is a place or a church: "Santa Maria Novella", "Saint-Lazare", "San Siro".
// A lone name right after a shop or brand noun, or after "the", is the shop or the product:
// "la boutique Sephora", "the Hilton", "bij de Hema", "Filiale Otto", "app Revolut".
export const brandBefore =
  /(?:^|[^\p{L}])(?:the|boutique|magasin|enseigne|store|shop|brand|label|winkel|het|tienda|marca|negozio|marchio|loja|sklep|marka|laden|filiale|marke|app|restaurant|ristorante|restaurante|café|hotel|hôtel|cinema|kino|supermarkt|supermercado|supermercato|supermarché)[ \t]+$/iu;
export const saintFirst = /^(?:Saint|Sainte|Santa|Santo|San|São|Sankt|St|Ste)[-. \t]/u;

/**
 * Companies and brands named after their founders: a person's name, but in a sentence about
 * shopping, shares or products it is the company. Compared as whole spans.
 */
export const brandNames = new Set(
  `Albert Heijn|Walt Disney|Morgan Stanley|Goldman Sachs|Harley Davidson|Harley-Davidson|Johnson|Marks|Spencer|Tommy Hilfiger|Calvin Klein|Ralph Lauren|Hugo Boss|
  Louis Vuitton|Christian Dior|Yves Saint Laurent|Coco Chanel|Mercedes|Ferrari|Lamborghini|Ford|Toyota|Philips|Heineken|Jack Daniels|Jack Daniel's|
  Johnnie Walker|Ben|Jerry|Tim Hortons|Wendy|Dell|Adobe|Mahindra|Tata|Kellogg|Dr Oetker|Peter Pan|Harry Potter|Sherlock Holmes|Mona Lisa|
  Santa Claus|Father Christmas|Sinterklaas|Zwarte Piet|Aldi|Lidl|Earl Grey|Alfa Romeo|Ganesh Chaturthi|Guru Nanak Jayanti|Mahavir Jayanti|Buddha Purnima|Raksha Bandhan|Durga Puja|Hanuman Jayanti|
  Charles Schwab|Harvey Nichols|Stella Artois|Kraft Heinz|Sephora|Nike|Ikea|Hermès|Chanel|Dior|Gucci|Prada|Versace|Armani|
  Fendi|Benetton|Ferragamo|Bulgari|Cartier|Tiffany|Boots|Wendy's|Kellogg's|Campbell's|Hershey's|Nestlé|Ferrero|Barilla|Lavazza|Bosch|Siemens|Miele|Braun|
  Porsche|Opel|Renault|Peugeot|Citroën|Dacia|Skoda|Chevrolet|Dodge|Chrysler|Honda|Maserati|Bugatti|Bentley|Rolls-Royce|Dyson|Zara|Mango|Primark|Tesco|
  Sainsbury's|Morrisons|Waitrose|Carrefour|Auchan|Leclerc|Decathlon|Mercadona|Esselunga|Kruidvat|Biedronka|Żabka|Lidl|Zalando|Vinted|Allegro|Revolut|
  Wise|Monzo|Klarna|Adyen|Stripe|Shopify|Oracle|Cisco|Dell|Lenovo|Asus|Acer|Samsung|Sony|Canon|Nikon|Kodak|Gillette|Colgate|Johnson & Johnson|
  Procter & Gamble|Estée Lauder|Lancôme|Guerlain|Clarins|Nivea|Garnier|L'Oréal|Wella|Schwarzkopf|Heineken|Carlsberg|Guinness|Jameson|Bacardi|
  Martini|Campari|Aperol|Moët|Dom Pérignon|Veuve Clicquot|Marlboro|Philip Morris|Walmart|Kroger|Macy's|Nordstrom|Kohl's|Lowe's|Sam's Club|Trader Joe's|
  Ben & Jerry's|Dunkin|Domino's|Papa John's|Wendy's|Arby's|Denny's|Hardee's|Carl's Jr|Chick-fil-A|Lyft|Uber|Hilton|Marriott|Hyatt|Wyndham|Ritz|
  Ritz-Carlton|Four Seasons|Fairmont|Sheraton|Westin|Radisson|Ibis|Novotel|Mercure|Accor|John Lewis|Ted Baker|Paul Smith|Marks & Spencer|Laura Ashley|
  Jack Wills|Karen Millen|Victoria's Secret|Vivienne Westwood|Stella McCartney|Alexander McQueen|Jimmy Choo|Kate Spade|Michael Kors|Tory Burch|
  Christian Louboutin|Jean Paul Gaultier|Giorgio Armani|Dolce & Gabbana|Salvatore Ferragamo|Maruti Suzuki|Tommy Jeans|Levi's|Levi Strauss|
  Jack Jones|Jack & Jones|Tom Tailor|Marc O'Polo|Marc Jacobs|Tom Ford|Clinique|Rimmel|Max Factor|Max Mara|Emilio Pucci|Roberto Cavalli|
  Vera Wang|Oscar de la Renta|Carolina Herrera|Paco Rabanne|Nina Ricci|Wrangler|Dr Martens|Doc Martens|Timberland|Hobbs|Ocado|Argos|Greggs`
    .split('|')
    .map((name) => name.trim()),
);

const isTitle = (word: string) =>
  /^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Madame|Monsieur|Sr|Sra|Srta|Don|Doña|Dott|Sig|Signora|Signor|Meneer|Mevrouw|Pan|Pani)$/.test(word);

interface Token {
  text: string;
  start: number;
  end: number;
}

/**
 * Names found by lists, not cues: a known given name followed by one or two capitalised words
 * ("Sanne de Vries", "Jürgen Hartmann", "Maria Fernanda Costa"), or a known given name alone.
 * Given names that are also common words ("Will", "Grace", "Claude") count only before a known
 * family name. One pass over the capitalised words, each looked at a bounded number of times.
 */
export function detectNamesByList(text: string): Detection[] {
  const { given, family, ambiguous } = load();
  const tokens: Token[] = [];
  for (const match of text.matchAll(capitalised)) tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  const found: Detection[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const first = tokens[index]!;
    // "Pieter-Jan", "Anne-Sophie": a hyphenated given name counts by its first part.
    if (!given.has(first.text) && !given.has(first.text.split('-')[0]!) && !inflectedGiven(first.text, given, ambiguous)) continue;
    // Part of a longer capitalised phrase that does not start with this name ("Santa Maria Novella").
    const previous = tokens[index - 1];
    // A sentence's first word is capitalised whatever it is ("Widziałem Annę", "Yesterday Priya …").
    const previousStartsSentence = previous !== undefined && /(?:^|[.!?:;\n]["')\]]?)[ \t]*$/.test(text.slice(Math.max(0, previous.start - 3), previous.start));
    if (previous && !previousStartsSentence && /^[ \t]+$/.test(text.slice(previous.end, first.start)) && !notFamily.has(previous.text) && !isTitle(previous.text)) continue;
    // "St. Louis", "Ste. Marie", "Mt. Vernon": a place named after a saint or a person.
    if (previous && /^(?:St|Ste|Mt|Ft|Sto|Sta)$/.test(previous.text) && /^\.?[ \t]*$/.test(text.slice(previous.end, first.start))) continue;
    let end = first.end;
    let last = index;
    let knownFamily = false;
    for (let next = index + 1; next < tokens.length && next <= index + 3; next++) {
      const candidate = tokens[next]!;
      const gap = text.slice(end, candidate.start);
      const between = gap.trim();
      if (!/^[ \t]+$/.test(gap.replace(between, ' ')) || (between !== '' && !particles.has(between))) break;
      if (notFamily.has(candidate.text)) break;
      end = candidate.end;
      last = next;
      if (family.has(candidate.text)) knownFamily = true;
    }
    const after = text.slice(end, end + 16);
    if (
      namedPlaceAfter(after) ||
      endsWithPlace(text.slice(first.start, end)) ||
      placeBefore.test(text.slice(Math.max(0, first.start - 24), first.start)) ||
      brandNames.has(text.slice(first.start, end)) ||
      // "Kraft Heinz", "Maruti Suzuki" at the start of a sentence: the brand's first word was taken for a sentence start.
      (previous !== undefined && /^[ \t]+$/.test(text.slice(previous.end, first.start)) && brandNames.has(`${previous.text} ${text.slice(first.start, end)}`))
    )
      continue;
    const single = last === index;
    if (single && brandBefore.test(text.slice(Math.max(0, first.start - 16), first.start))) continue;
    // "Jan 15", "Max 5 items", "Floor 3": a lone given name before a number is a date, a word or a label.
    if (single && /^[ \t]*\d/.test(after)) continue;
    if ((ambiguous.has(first.text) || ambiguous.has(first.text.split('-')[0]!)) && (single || !knownFamily)) continue;
    found.push({ type: 'NAME', start: first.start, end });
    index = last;
  }
  return joinSurnameFirst(text, found, given, family);
}

const surnameThenComma = /(?<![\p{L}'’-])(\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?), $/u;

/**
 * "Müller, Jens" (a known surname, a comma, a given name found above) is one name, as forms
 * and address books write it: found as "Jens" alone, "Müller," would stay in the text.
 */
function joinSurnameFirst(text: string, found: Detection[], given: Set<string>, family: Set<string>): Detection[] {
  for (const detection of found) {
    // Only a lone given name: in "Vikram Reddy, Sneha Kulkarni" the comma separates two people.
    if (!given.has(text.slice(detection.start, detection.end))) continue;
    const before = text.slice(Math.max(0, detection.start - 48), detection.start);
    const surname = surnameThenComma.exec(before);
    if (!surname || !family.has(surname[1]!) || notFamily.has(surname[1]!)) continue;
    // "Ruud Smit, Eva": the surname ends another person's name.
    if (/\p{L}[ \t]+$/u.test(before.slice(0, surname.index))) continue;
    detection.start -= surname[0].length;
  }
  return found;
}
