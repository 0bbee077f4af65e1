import { foldAccents } from './normalise.js';

/**
 * Words that name one language among en, de, fr, es, it, nl, pt, pl and sv (accent-folded):
 * function words only, and only those no other of these languages spells the same way ("de",
 * "la", "es", "die", "do", "como", "per", "um", "os", "su" are nobody's). A table, not logic: add a language by
 * adding a row.
 */
const markers: Readonly<Record<string, string>> = {
  en: 'the and are what how why when where which who does can could would should your with this that there have has not will from about after before any you much many into onto been they than',
  de: 'der und ist sind wie warum wann wo ich mein meine meinen meinem nicht kein keine ein eine einen mit fur auf bei zu zum zur nach von vom kann gibt wird werden auch noch oder aber welche uber habe',
  fr: 'le les une des du et est sont je vous nous mon avec pour dans sur pas ce cette ces quel quelle quels quelles comment pourquoi quand puis peux peut pouvez faire fait au aux votre vos notre leur elle est-ce',
  es: 'el los las y cual cuales cuanto cuanta cuantos cuantas donde puedo puede puedes podria hay tengo tiene tienen quiero hacer muy cuando usted ustedes tambien ya sus',
  it: 'il gli della delle dello degli dei nel nella nei sono che di cosa perche dove puoi puo possono mio mia miei questo questa anche ho hai vorrei voglio sul sulla alla allo',
  nl: 'het een van ik mijn jullie wij hoe wat waarom wanneer waar welke kunnen niet geen voor naar bij op dat zijn heb heeft hebben worden wordt ook nog moet moeten graag mogelijk',
  pt: 'uma nao voce voces meu minha meus minhas pode podem qual quais em com onde tem tenho ao aos sao fazer quero tambem seu sua isso isto',
  pl: 'jak co czy jest sa moj moja moje mnie mam ile gdzie kiedy dlaczego ktory ktora jaki jaka mozna moge prosze oraz przez dla',
  sv: 'och att ar jag mitt mina hur vad varfor nar inte till fran det ett vill finns hos mig',
};

/**
 * Function words two or three of these languages share: a vote for each. They cannot tell a
 * language, but they are evidence (languageEvidence): "como pago con PayPal" is Spanish or
 * Italian, not Portuguese ("com").
 */
const sharedMarkers: Readonly<Record<string, string>> = {
  con: 'es it',
  una: 'es it',
  del: 'es it',
  por: 'es pt',
  para: 'es pt',
  que: 'es fr pt',
  di: 'it',
};

const languagesOf = new Map<string, string[]>();
for (const [language, words] of Object.entries(markers)) for (const word of words.split(' ')) languagesOf.set(word, [language]);
for (const [word, languages] of Object.entries(sharedMarkers)) if (!languagesOf.has(word)) languagesOf.set(word, languages.split(' '));

/** Letters only one of these languages writes. */
const letters: ReadonlyArray<readonly [RegExp, string]> = [
  [/[¿¡ñ]/u, 'es'],
  [/ß/u, 'de'],
  [/[ãõ]/u, 'pt'],
  [/[łąężźśćń]/u, 'pl'],
  [/å/u, 'sv'],
];

/**
 * Spellings that lean to one language, one vote each (a letter above is two): Portuguese nh/lh
 * between vowels (minha, senha, trabalho) and -ção; Spanish -ción; Italian -zione and "gli";
 * German umlauts, -ung/-ungen after a stem, -keit, -lich; Dutch ij; English th- and -ing words. A vote, not
 * a verdict: function words outnumber it in any sentence.
 */
const hints: ReadonlyArray<readonly [RegExp, string]> = [
  [/[aeiou](?:nh|lh)[aeo]|çã|çõ/u, 'pt'],
  [/ción\b|ciones\b/u, 'es'],
  [/zion[ei]\b|\bgli\b/u, 'it'],
  [/[äöü]|\p{L}{3}ung(?:en)?\b|keit\b|lich(?:e[nrs]?)?\b/u, 'de'],
  [/\p{L}ij|ij\p{L}/u, 'nl'],
  [/\bth\p{L}|\p{L}{3}ing\b/u, 'en'],
];

/** Words read per prompt: enough to tell a language, and bounded work whatever the prompt's length. */
const maxWords = 200;

/** Votes per language: two per letter only it writes, one per hint and per function word. */
function votesOf(text: string): Map<string, number> {
  const votes = new Map<string, number>();
  const lower = text.slice(0, 4096).toLowerCase();
  for (const [pattern, language] of letters) if (pattern.test(lower)) votes.set(language, (votes.get(language) ?? 0) + 2);
  for (const [pattern, language] of hints) if (pattern.test(lower)) votes.set(language, (votes.get(language) ?? 0) + 1);
  let words = 0;
  for (const match of foldAccents(lower).matchAll(/[\p{L}]+(?:-[\p{L}]+)?/gu)) {
    if (++words > maxWords) break;
    for (const language of languagesOf.get(match[0]) ?? []) votes.set(language, (votes.get(language) ?? 0) + 1);
  }
  return votes;
}

/**
 * The language a prompt is written in, when its function words say so clearly (one language
 * strictly ahead of every other); undefined for a few keywords, code or a mix. Linear in the
 * first few hundred words.
 */
export function detectLanguage(text: string): string | undefined {
  let best: string | undefined;
  let bestVotes = 0;
  let second = 0;
  for (const [language, count] of votesOf(text)) {
    if (count > bestVotes) {
      second = bestVotes;
      best = language;
      bestVotes = count;
    } else if (count > second) second = count;
  }
  return bestVotes > second ? best : undefined;
}

/** Every language with any vote, sorted: what a prompt too short to tell still gives away. */
export function languageEvidence(text: string): string[] {
  return [...votesOf(text).keys()].sort();
}

/**
 * Two prompts in two different languages: never one question for a monolingual embedder. True
 * when both are clearly told and differ, and also when one is told and the other, too short to
 * tell, shows signs of other languages and none of it ("Como alterar a senha?" has no
 * function word only Portuguese writes, but "nh" and no Spanish). When unsure, it is a miss.
 */
export function languagesDiffer(a: string | undefined, b: string | undefined, evidenceA: readonly string[] = [], evidenceB: readonly string[] = []): boolean {
  if (a !== undefined && b !== undefined) return a !== b;
  if (a !== undefined && evidenceB.length > 0 && !evidenceB.includes(a)) return true;
  if (b !== undefined && evidenceA.length > 0 && !evidenceA.includes(b)) return true;
  return false;
}
