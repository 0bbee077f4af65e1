import { stopwords } from './stopwords.js';

/**
 * True when two normalised prompts are the same sentence with a content word or two swapped
 * ("cancel my order" / "cancel my subscription", "return policy for shoes" / "… for jackets"):
 * the shape of a template filled with another value, which asks a different question however
 * similar the vectors are. Rewordings change function words and structure, and pass. Swapping
 * a word for a synonym ("order" / "purchase") is refused as well: a missed hit costs one model
 * call, a wrong answer costs the user's trust.
 */
export function swapsContentWords(a: string, b: string): boolean {
  const left = a.split(' ');
  const right = b.split(' ');
  if (left.length > maxTokens || right.length > maxTokens) return false;
  const { removed, added, shared } = diff(left, right);
  const removedContent = removed.filter(isContent);
  const addedContent = added.filter(isContent);
  const unmatched = removedContent.filter((word) => !addedContent.some((other) => sameWord(word, other)));
  const unmatchedAdded = addedContent.filter((word) => !removedContent.some((other) => sameWord(word, other)));
  return unmatched.length > 0 && unmatchedAdded.length > 0 && unmatched.length <= 3 && unmatchedAdded.length <= 3 && shared.filter(isContent).length >= 1;
}

const maxTokens = 64;

function isContent(word: string): boolean {
  return word.length > 1 && !stopwords.has(word) && !/^\p{N}/u.test(word);
}

/** Inflections and small typos: order/orders, passwort/passworts, recieve/receive. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const prefix = commonPrefix(a, b);
  if ((prefix >= 4 && prefix >= Math.min(a.length, b.length) - 2) || (prefix >= 5 && prefix >= Math.min(a.length, b.length) - 3)) return true;
  return Math.abs(a.length - b.length) <= 1 && Math.min(a.length, b.length) >= 5 && editDistanceAtMostOne(a, b);
}

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

/** Longest common subsequence of two token lists: what was removed, added and kept. */
function diff(left: string[], right: string[]): { removed: string[]; added: string[]; shared: string[] } {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const lengths = new Uint16Array(rows * columns);
  for (let i = left.length - 1; i >= 0; i--) {
    for (let j = right.length - 1; j >= 0; j--) {
      lengths[i * columns + j] = left[i] === right[j] ? lengths[(i + 1) * columns + j + 1]! + 1 : Math.max(lengths[(i + 1) * columns + j]!, lengths[i * columns + j + 1]!);
    }
  }
  const removed: string[] = [];
  const added: string[] = [];
  const shared: string[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      shared.push(left[i++]!);
      j++;
    } else if (lengths[(i + 1) * columns + j]! >= lengths[i * columns + j + 1]!) removed.push(left[i++]!);
    else added.push(right[j++]!);
  }
  removed.push(...left.slice(i));
  added.push(...right.slice(j));
  return { removed, added, shared };
}
