import { numberWords } from './anchor-tables.js';
import { endingsOf } from './stems.js';
import { contextMark } from './normalise.js';
import { stopwords } from './stopwords.js';

/**
 * True when two normalised prompts do not ask about the same things: a content word of one
 * (not a function word, not a number — anchors.ts checks those) has no counterpart in the
 * other, the same word, an inflection of it or a synonym (synonyms.ts). That refuses a
 * template filled with another value ("cancel my order" / "cancel my subscription"), and a
 * question narrowed or widened by a word ("what is the return policy" / "… for electronics";
 * "why is my order shipped" / "can I change the delivery slot of my order"). Rewordings change
 * function words, inflections, synonyms and order, and pass. Words the table does not know as
 * synonyms are refused as well: a missed hit costs one model call, a wrong answer costs the
 * user's trust. `language` (language.ts), when told, picks the inflections that count (sameWord).
 * Linear in the words, plus at most `maxLeftovers`² comparisons.
 */
export function swapsContentWords(a: string, b: string, language?: string): boolean {
  if (!swapsWords(a, b, language)) return false;
  // A context sentence on one side only (normalise.ts, contextSplit): its question alone against the other prompt.
  const [markA, markB] = [a.indexOf(` ${contextMark} `), b.indexOf(` ${contextMark} `)];
  if (markA >= 0 && markB >= 0) return true;
  // Words of the context the other prompt folds into its question ("I am new to git. How do I create a branch?" / "… a branch in git?") are no swap.
  if (markA >= 0) return swapsWords(a.slice(markA + 3), b, language, new Set(a.slice(0, markA).split(/[ -]/)));
  if (markB >= 0) return swapsWords(a, b.slice(markB + 3), language, new Set(b.slice(0, markB).split(/[ -]/)));
  // Typed without punctuation, a remark then a question ("we moved last month how do i update my address"): the question starts at its question word.
  const [startA, startB] = [unmarkedQuestion(a), unmarkedQuestion(b)];
  if (startA >= 0 === startB >= 0) return true;
  if (startA >= 0) return swapsWords(a.slice(startA), b, language, new Set(a.slice(0, startA).split(/[ -]/)));
  return swapsWords(a, b.slice(startB), language, new Set(b.slice(0, startB).split(/[ -]/)));
}

/**
 * Where the question starts after a remark in a prompt typed without punctuation: the offset of
 * the first interrogative (how, what, wie, comment, como, hoe…) with three to sixteen words
 * before it and at least three from it; -1 when there is none. Linear in the words.
 */
function unmarkedQuestion(text: string): number {
  const words = text.split(' ');
  let offset = 0;
  for (let index = 0; index < words.length - 2 && index <= maxContextWords; index++) {
    if (index >= 3 && interrogatives.has(words[index]!)) return interrogatives.has(words[index - 1]!) ? -1 : offset;
    offset += words[index]!.length + 1;
  }
  return -1;
}

/** Words that start a question, by language (accent-folded); not the auxiliaries: "is", "can" sit inside statements too. */
const interrogatives: ReadonlySet<string> = new Set(
  (
    'how what which when where why who wie was welche welcher welches wann wo warum wer comment quel quelle quels quelles quand pourquoi combien ' +
    'como cual cuales cuando donde cuanto cuanta cuantos cuantas come cosa quale quali dove perche quanto quanta quanti quante ' +
    'hoe wat welke wanneer waar waarom hoeveel qual quais onde quantos quantas'
  ).split(' '),
);

/** Words a remark before the question may have (normalise.ts has the same bound for a punctuated one). */
const maxContextWords = 16;

function swapsWords(a: string, b: string, language?: string, context?: ReadonlySet<string>): boolean {
  let [leftWords, rightWords] = spellingsAligned(a.split(/[ -]/), b.split(/[ -]/), language);
  if (context) {
    const [inLeft, inRight] = [new Set(leftWords), new Set(rightWords)];
    leftWords = leftWords.filter((word) => inRight.has(word) || !context.has(word));
    rightWords = rightWords.filter((word) => inLeft.has(word) || !context.has(word));
  }
  const left = contentCounts(leftWords);
  const right = contentCounts(rightWords);
  const leftovers = (from: Map<string, number>, other: Map<string, number>) => {
    const words: string[] = [];
    for (const [word, count] of from) for (let extra = count - (other.get(word) ?? 0); extra > 0 && words.length <= maxLeftovers; extra--) words.push(word);
    return words;
  };
  const removed = leftovers(left, right);
  const added = leftovers(right, left);
  if (removed.length > maxLeftovers || added.length > maxLeftovers) return true;
  // Any word without a counterpart decides it: unrelated candidates leave on the first one.
  if (removed.length !== 0 && added.length === 0) return true;
  if (added.length !== 0 && removed.length === 0) return true;
  return removed.some((word) => !added.some((other) => sameWord(word, other, language))) || added.some((word) => !removed.some((other) => sameWord(word, other, language)));
}

/** Content words left over on one side past which two prompts are different questions. */
const maxLeftovers = 8;

function contentCounts(words: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) if (isContent(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/**
 * Spellings of one word that a light rewording brings, made one before the words are compared
 * (words split at hyphens first): a compound written apart or hyphenated on one side and in one
 * word on the other (e mail / email, python dictionary / pythondictionary, segunda feira /
 * segundafeira), and a French or Italian elision typed without its apostrophe (dun / d'un,
 * narrive / n'arrive, lapp / l'app): the glued letter is dropped when what is left is a
 * function word or a word of the other side. Linear in the words (set lookups).
 */
function spellingsAligned(a: string[], b: string[], language: string | undefined): [string[], string[]] {
  const join = (words: string[], other: ReadonlySet<string>, own: ReadonlySet<string>) => {
    const out: string[] = [];
    for (let index = 0; index < words.length; index++) {
      const pair = index + 1 < words.length ? words[index]! + words[index + 1]! : '';
      if (pair !== '' && other.has(pair) && !own.has(pair)) {
        out.push(pair);
        index++;
      } else out.push(words[index]!);
    }
    return out;
  };
  const unglue = (words: string[], other: ReadonlySet<string>) =>
    language !== 'fr' && language !== 'it' && language !== undefined
      ? words
      : words.map((word) => {
          if (other.has(word) || stopwords.has(word)) return word;
          const elided = /^(?:qu|[dlnjmtsc])(?=[aeiouyh])/.exec(word);
          if (!elided) return word;
          const rest = word.slice(elided[0].length);
          return stopwords.has(rest) || other.has(rest) ? rest : word;
        });
  const [setA, setB] = [new Set(a), new Set(b)];
  const joinedA = join(a, setB, setA);
  const joinedB = join(b, setA, setB);
  return [unglue(joinedA, new Set(joinedB)), unglue(joinedB, new Set(joinedA))];
}

function isContent(word: string): boolean {
  // Numbers, spelled out or not, are anchors (anchors.ts): "two tickets" is "2 tickets".
  return word.length > 1 && !stopwords.has(word) && !/^\p{N}/u.test(word) && numberWords[word] === undefined;
}

/**
 * Inflections and small typos: order/orders, passwort/passworts, recieve/receive, add/adding;
 * Spanish stems that change (encuentro/encontrar), German separable verbs (reiche … ein /
 * einreichen) and Dutch participles (geaccepteerd/accepteren). Two words are one when they
 * share a stem and what follows it in each is an inflectional ending of the prompt's language
 * (stemEndings) — not merely a long shared beginning: server/service, store/storage,
 * general/generate and manage/manager are different words.
 */
function sameWord(a: string, b: string, language: string | undefined): boolean {
  if (a === b || sameStem(a, b, language)) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (language === 'es' || language === 'pt' || language === undefined) {
    // Stems that change: encuentro/encontrar, pienso/pensar, restablezco/restablecer.
    const diphthongs = (word: string) =>
      word
        .replace(/ue/g, 'o')
        .replace(/ie/g, 'e')
        .replace(/zc(?=[oa]s?$)/, 'c');
    if (sameStem(diphthongs(a), diphthongs(b), language)) return true;
  }
  if (language === 'de' || language === undefined) {
    const separable = separablePrefix.exec(longer);
    if (separable && shorter.length >= 5 && sameStem(longer.slice(separable[0].length), shorter, language)) return true;
    // The infinitive with zu inside a separable verb: mitzunehmen / mitnehmen, anzumelden / anmelden.
    if (separable && longer.startsWith('zu', separable[0].length) && sameStem(separable[0] + longer.slice(separable[0].length + 2), shorter, language)) return true;
  }
  if ((language === 'de' || language === 'nl' || language === undefined) && /^ge\p{L}{5,}/u.test(longer) && sameStem(longer.slice(2), shorter, language)) return true;
  return isTypo(a, b) || transliterated(a) === transliterated(b);
}

/** Umlauts typed as vowel + e once the accents are folded: gespraeche/gesprache, ueberweisung/uberweisung. */
const transliterated = (word: string) => word.replace(/([aou])e/g, '$1');

/**
 * One stem: both words are a shared stem of at least four letters (three before a plural -s)
 * plus an ending of the language; a doubled last letter counts as the stem's (ship/shipping,
 * stop/stopped). The stem may end a few letters before the shared beginning does
 * (annule/annuler: annul + e / er).
 */
function sameStem(a: string, b: string, language: string | undefined): boolean {
  if (a === b) return true;
  const endings = endingsOf(language);
  const prefix = commonPrefix(a, b);
  for (let stem = prefix; stem >= Math.max(3, prefix - 3); stem--) {
    const [restA, restB] = [undouble(a, stem), undouble(b, stem)];
    if (!endings.has(restA) || !endings.has(restB)) continue;
    // A three-letter stem only takes a plain ending: add/adding, fee/fees; not car/care.
    if (stem >= 4 || ((restA === '' || restB === '') && /^(?:s|es|ed|d|ing|n|en)?$/.test(restA + restB))) return true;
  }
  return false;
}

/** What follows the stem, a doubled last letter of the stem dropped (shipp-ing → ing). */
function undouble(word: string, at: number): string {
  const rest = word.slice(at);
  return at > 0 && rest.length > 1 && rest[0] === word[at - 1] ? rest.slice(1) : rest;
}

/**
 * A typing slip in a long word: two neighbouring letters swapped (recieve/receive) or a doubled
 * letter typed once (adress/address, pasword/password). Only from seven letters, and never a
 * letter for another: mysql/mssql, Maria/Mario and price/prize are other things.
 */
function isTypo(a: string, b: string): boolean {
  if (Math.max(a.length, b.length) < 7) return false;
  if (a.length === b.length) {
    let first = -1;
    for (let index = 0; index < a.length; index++)
      if (a[index] !== b[index]) {
        first = index;
        break;
      }
    return first >= 0 && a[first] === b[first + 1] && a[first + 1] === b[first] && a.slice(first + 2) === b.slice(first + 2);
  }
  if (Math.abs(a.length - b.length) !== 1) return false;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  let index = 0;
  while (index < shorter.length && shorter[index] === longer[index]) index++;
  if (index === 0 || longer.slice(index + 1) !== shorter.slice(index)) return false;
  // The extra letter doubles its neighbour; or, in a word of eight letters or more, a letter is
  // left out or slipped in inside the word (withdrawl/withdrawal, excercise/exercise).
  return longer[index] === longer[index - 1] || (longer.length >= 9 && index < shorter.length);
}

// Longer prefixes first: an alternation takes the first that matches (zuruck before zu).
const separablePrefix = /^(?:zuruck|durch|nach|ein|aus|auf|vor|mit|weg|her|hin|an|um|ab|zu)(?=\p{L}{4,})/u;

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}
