import type { Detection } from '../pii-type.js';
import { caseless } from './caseless.js';
import { detectInitialledNames, detectLowercaseNames, detectNamesByList } from './name-gazetteer.js';

// One capitalised name word (Jean-Pierre, O'Brien, García, Ørsted), optionally with a particle before the next.
const word = String.raw`\p{Lu}[\p{Ll}'’]*(?:-\p{Lu}?[\p{Ll}'’]+)*`;
const particle = String.raw`(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|al|ter|dos|das)`;
const fullName = String.raw`${word}(?:[ \t]+(?:${particle}[ \t]+)*${word}){0,3}`;

const titles = String.raw`(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Herrn|Frau|Hr|Mme|Mlle|Sr|Sra|Srta|Shri|Smt|Sri|Dña|Dª|Dott|Dott\.ssa|Sig|Sig\.ra|Sig\.na|Signor|Signora|Avv|Ing|Dhr|Mevr|Mw|Meneer|Mevrouw|Senhor|Senhora|Pan|Pani)\.?|M\.`;
const introductions = [
  String.raw`my name is`,
  String.raw`my name's`,
  String.raw`name:`,
  String.raw`this is`,
  String.raw`I am`,
  String.raw`I'm`,
  String.raw`signed:?`,
  String.raw`attn:?`,
  String.raw`attention:`,
  String.raw`c/o`,
  String.raw`contact person:?`,
  String.raw`customer:`,
  String.raw`contact`,
  String.raw`dear`,
  String.raw`hi`,
  String.raw`hello`,
  String.raw`hey`,
  String.raw`mein Name ist`,
  String.raw`ich heiße`,
  String.raw`ich bin`,
  String.raw`Ansprechpartner(?:in)?:?`,
  String.raw`hallo`,
  String.raw`lieber?`,
  String.raw`je m'appelle`,
  String.raw`je m’appelle`,
  String.raw`je suis`,
  String.raw`mon nom est`,
  String.raw`bonjour`,
  String.raw`cher`,
  String.raw`chère`,
  String.raw`me llamo`,
  String.raw`mi nombre es`,
  String.raw`soy`,
  String.raw`hola`,
  String.raw`estimad(?:o|a)`,
  String.raw`namaste`,
  String.raw`mijn naam is`,
  String.raw`ik ben`,
  String.raw`ik heet`,
  String.raw`hoi`,
  String.raw`beste`,
  String.raw`mi chiamo`,
  String.raw`il mio nome è`,
  String.raw`sono`,
  String.raw`ciao`,
  String.raw`gentile`,
  String.raw`car(?:o|a)`,
  String.raw`meu nome é`,
  String.raw`me chamo`,
  String.raw`eu sou`,
  String.raw`olá`,
  String.raw`oi`,
  String.raw`prezad(?:o|a)`,
  String.raw`nazywam się`,
  String.raw`mam na imię`,
  String.raw`jestem`,
  String.raw`cześć`,
].join('|');
const closings = [
  'regards',
  'best regards',
  'kind regards',
  'warm regards',
  'thanks & regards',
  'thanks and regards',
  'many thanks',
  'thanks',
  'thank you',
  'cheers',
  'best',
  'sincerely',
  'yours sincerely',
  'yours faithfully',
  'mit freundlichen grüßen',
  'viele grüße',
  'beste grüße',
  'liebe grüße',
  'gruß',
  'lg',
  'vg',
  'cordialement',
  'bien cordialement',
  'bien à vous',
  'merci',
  'salutations',
  'saludos',
  'un saludo',
  'atentamente',
  'gracias',
  'saluti',
  'cordiali saluti',
  'met vriendelijke groet',
  'met vriendelijke groeten',
  'vriendelijke groet',
  'groeten',
  'groetjes',
  'distinti saluti',
  'un saluto',
  'grazie',
  'abraços',
  'abraço',
  'cumprimentos',
  'obrigado',
  'obrigada',
  'pozdrawiam',
  'z poważaniem',
  'dziękuję',
  'amicalement',
  'saludos cordiales',
  'danke',
]
  .map(caseless)
  .join('|');

// Titles as they are written mid-sentence, in lower case: "met mevrouw Jansen", "de heer Bakker",
// "an Herrn Becker", "chez madame Roux", "con la señora Gil", "z panią Nowak".
const lowercaseTitles = String.raw`(?:mevrouw|meneer|de heer|mevr\.|dhr\.|mw\.|frau|herrn?|madame|monsieur|mademoiselle|señora?|doña|signora|signore|senhora?|dona|pani|panią|pana|panem|panu|pan|sig\.(?:ra|na)?|dott\.(?:ssa)?|avv\.|ing\.|prof\.|dr\.|sr\.|sra\.|srta\.)`;
const afterLowercaseTitle = new RegExp(String.raw`(?<![\p{L}])${lowercaseTitles}[ \t]+(${fullName})`, 'gu');
// Honorifics after the name, common in Indian English: "Sharma ji", "Ramesh sir", "Priya ma'am", "Ravi bhai".
// The honorific is found first and the name read in the 48 characters before it: a pattern
// starting at the name tried every start of "Ab-Ab-Ab-…" across the whole run (quadratic).
const honorific = /(?<![ \t])[ \t]+(?:ji|sir|madam|ma'am|mam|bhai|bhaiya|didi|garu|saab|sahab)(?![\p{L}])/gu;
const nameBeforeHonorific = /(?<![\p{L}'’-])(\p{Lu}[\p{Ll}'’]{1,20}(?:-\p{Lu}?[\p{Ll}'’]{1,20})?(?:[ \t]\p{Lu}[\p{Ll}'’]{1,20}(?:-\p{Lu}?[\p{Ll}'’]{1,20})?)?)$/u;

const afterTitle = new RegExp(String.raw`(?<![\p{L}])(?:${titles})[ \t]+(${fullName})`, 'gu');
// The cue is found case-insensitively, then the name read where it ends, case-sensitively (the
// \`i\` flag would let \p{Lu} match lower case). One pattern for both, with each cue spelled
// [mM][yY]…, was a 60-way alternation tried at every position: 3x slower over the whole scan.
const introductionCue = new RegExp(String.raw`(?<![\p{L}])(?:${introductions})[ \t]+`, 'giu');
const nameAfterCue = new RegExp(String.raw`(?:(?:${titles})[ \t]+)?(${fullName})`, 'uy');
// Each run of spaces has one place in the pattern: with three adjacent [ \t]* a long run had
// quadratically many ways to be split before the match failed. The lookbehind keeps the
// separator required ("Regards John", "Regards,\nJohn", "Regards — John"; not "RegardsJohn").
const signature = new RegExp(
  String.raw`(?:^|\n)[ \t]*(?:${closings})[ \t]*(?:[,!.][ \t]*)?(?:[\n—-][ \t]*)?(?<=[ \t\n,!.—-])(?:(?:${titles})[ \t]+)?(${fullName})[ \t]*(?=$|\n|,)`,
  'gu',
);

// Capitalised words that follow "Hi" or "I am" but are not names.
const notNames = new Set(
  `team all everyone there support sales billing customer customers service guys folks sir madam madame monsieur señor señora
  not sure here back so very happy glad sorry afraid writing trying unable looking going just still also the a an your our my this that it
  monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december
  admin user manager hr it ops dev devops engineering finance legal mit und et y de
  order account ticket invoice phone email please thanks gmbh ltd inc
  sie ich wir ihr er es der die das den dem ein eine bitte können könnten le la les il elle nous vous on el los las lo gli het een ik jij u wij zij
  o os as um uma você grüße grüsse gruß wünsche regards groeten saluti saludos`.split(/\s+/),
);

/**
 * Names from context rules: after a title (Mr, Dr, Frau, Mme, Sra…), after "my name is" and
 * its German, French and Spanish forms or a greeting, and under a closing ("Regards,"). The
 * title itself is not part of the span. Precision over recall: a capitalised word with no such
 * cue is left to the NLP tagger.
 */
export function detectNamesByRules(text: string): Detection[] {
  const found: Detection[] = [...detectNamesByList(text), ...detectLowercaseNames(text), ...detectInitialledNames(text)];
  const add = (candidate: string, start: number) => {
    const name = trimName(candidate);
    if (name) found.push({ type: 'NAME', start, end: start + name.length });
  };
  for (const pattern of [afterTitle, afterLowercaseTitle, signature]) {
    for (const match of text.matchAll(pattern)) add(match[1]!, match.index + match[0].lastIndexOf(match[1]!));
  }
  for (const mark of text.matchAll(honorific)) {
    const windowStart = Math.max(0, mark.index - 48);
    const match = nameBeforeHonorific.exec(text.slice(windowStart, mark.index));
    if (match) add(match[1]!, windowStart + match.index);
  }
  for (const cue of text.matchAll(introductionCue)) {
    nameAfterCue.lastIndex = cue.index + cue[0].length;
    const match = nameAfterCue.exec(text);
    if (match) add(match[1]!, match.index + match[0].lastIndexOf(match[1]!));
  }
  return found;
}

/** Drops leading and trailing words that are not names ("Hi Team", "I am Not sure"). */
export function trimName(candidate: string): string | undefined {
  const words = candidate.split(/[ \t]+/);
  // "De Groot", "Van den Berg": a particle that starts a family name is part of it.
  const particleFirst = words.length > 1 && /^(?:de|van|von|di|da|du|le|la|del|della|dos|das|ter|ten)$/i.test(words[0]!);
  if (notNames.has(words[0]!.toLowerCase()) && !particleFirst) return undefined;
  while (words.length > 1 && notNames.has(words.at(-1)!.toLowerCase())) words.pop();
  const name = words.join(' ');
  return candidate.startsWith(name) ? name : undefined;
}
