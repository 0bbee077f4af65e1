import { numberWords } from './anchor-tables.js';
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
 * user's trust. Linear in the words, plus at most `maxLeftovers`² comparisons.
 */
export function swapsContentWords(a: string, b: string): boolean {
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
  return removed.some((word) => !added.some((other) => sameWord(word, other))) || added.some((word) => !removed.some((other) => sameWord(word, other)));
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
 * einreichen) and Dutch participles (geaccepteerd/accepteren).
 */
function sameWord(a: string, b: string): boolean {
  if (a === b || sameStem(a, b)) return true;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 3 && longer.startsWith(shorter) && inflection.test(longer.slice(shorter.length))) return true;
  const diphthongs = (word: string) => word.replace(/ue/g, 'o').replace(/ie/g, 'e');
  if (sameStem(diphthongs(a), diphthongs(b))) return true;
  const separable = separablePrefix.exec(longer);
  if (separable && shorter.length >= 5 && sameStem(longer.slice(separable[0].length), shorter)) return true;
  if (/^ge\p{L}{5,}/u.test(longer) && sameStem(longer.slice(2), shorter)) return true;
  return Math.abs(a.length - b.length) <= 1 && Math.min(a.length, b.length) >= 5 && editDistanceAtMostOne(a, b);
}

/**
 * One stem: a shared prefix of at least four letters that leaves at most two letters of the
 * shorter word (six letters: three); when one word is the other's prefix, what the longer
 * adds is an ending (account/accounting, rechnung/rechnungen; not pass/passport, print/printer).
 */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const prefix = commonPrefix(a, b);
  const shorter = Math.min(a.length, b.length);
  if (prefix === shorter) return fullPrefixEnding.test((a.length > b.length ? a : b).slice(shorter));
  return (prefix >= 4 && prefix >= shorter - 2) || (prefix >= 6 && prefix >= shorter - 3);
}

/** What English adds to a short word: add → adds, adding, added (a doubled last letter too: ship → shipping); not -er, which makes another noun (print/printer). */
const inflection = /^(?:s|es|ed|ing|(\p{L})?(?:ing|ed))$/u;
const fullPrefixEnding = /^(?:s|es|ed|d|ing|\p{L}ing|\p{L}ed|ly|en|n|e|r)$/u;
const separablePrefix = /^(?:ein|aus|auf|an|um|ab|zu|zuruck|vor|nach|mit|weg|her|hin|durch)(?=\p{L}{4,})/u;

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
