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

const languageOf = new Map<string, string>();
for (const [language, words] of Object.entries(markers)) for (const word of words.split(' ')) languageOf.set(word, language);

/** Letters only one of these languages writes. */
const letters: ReadonlyArray<readonly [RegExp, string]> = [
  [/[¿¡ñ]/u, 'es'],
  [/ß/u, 'de'],
  [/[ãõ]/u, 'pt'],
  [/[łąężźśćń]/u, 'pl'],
  [/å/u, 'sv'],
];

/** Words read per prompt: enough to tell a language, and bounded work whatever the prompt's length. */
const maxWords = 200;

/**
 * The language a prompt is written in, when its function words say so clearly (one language
 * strictly ahead of every other); undefined for a few keywords, code or a mix. Linear in the
 * first few hundred words.
 */
export function detectLanguage(text: string): string | undefined {
  const votes = new Map<string, number>();
  const lower = text.slice(0, 4096).toLowerCase();
  for (const [pattern, language] of letters) if (pattern.test(lower)) votes.set(language, (votes.get(language) ?? 0) + 2);
  let words = 0;
  for (const match of foldAccents(lower).matchAll(/[\p{L}]+(?:-[\p{L}]+)?/gu)) {
    if (++words > maxWords) break;
    const language = languageOf.get(match[0]);
    if (language) votes.set(language, (votes.get(language) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestVotes = 0;
  let second = 0;
  for (const [language, count] of votes) {
    if (count > bestVotes) {
      second = bestVotes;
      best = language;
      bestVotes = count;
    } else if (count > second) second = count;
  }
  return bestVotes > second ? best : undefined;
}

/** Two prompts in two different languages, both clearly told: never one question for a monolingual embedder. */
export function languagesDiffer(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}
