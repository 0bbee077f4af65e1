import { numberWords } from './anchor-tables.js';
import { endingsOf } from './stems.js';
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
  const left = contentCounts(a);
  const right = contentCounts(b);
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

function contentCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.split(' ')) if (isContent(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
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
  }
  if ((language === 'de' || language === 'nl' || language === undefined) && /^ge\p{L}{5,}/u.test(longer) && sameStem(longer.slice(2), shorter, language)) return true;
  return isTypo(a, b);
}

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
  // The extra letter doubles its neighbour, and the rest is the same.
  return index > 0 && longer[index] === longer[index - 1] && longer.slice(index + 1) === shorter.slice(index);
}

// Longer prefixes first: an alternation takes the first that matches (zuruck before zu).
const separablePrefix = /^(?:zuruck|durch|nach|ein|aus|auf|vor|mit|weg|her|hin|an|um|ab|zu)(?=\p{L}{4,})/u;

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}
