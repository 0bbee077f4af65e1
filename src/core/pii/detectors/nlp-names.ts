import { createRequire } from 'node:module';
import type nlpType from 'compromise';
import type { Detection } from '../pii-type.js';
import { trimName } from './name.js';
import { brandBefore, brandNames, endsWithPlace, isAmbiguousName, namedPlaceAfter, placeBefore, saintFirst } from './name-gazetteer.js';

const leadingTitle = /^(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Mme|Mlle|Sr|Sra|Srta|Shri|Smt|Sri|Dott|Sig|M)\.?\s+)+/u;
// "Victoria Station", "Jordan University": a place or organisation named after someone.
const placeNoun = /^\s+(?:Station|Street|Road|Avenue|Square|Airport|University|College|Hospital|Park|Bridge|Hotel|Inc|Ltd|LLC|GmbH|Group|Bank)\b/;
const trailingNoise = /[^\p{L}]+$/u;

let loaded: typeof nlpType | undefined;

/**
 * The tagger, loaded on first use (its CommonJS build, synchronously): its lexicon costs
 * ~21 MB of heap, which a process with `nlp` off (the default) should not carry.
 */
function tagger(): typeof nlpType {
  loaded ??= createRequire(import.meta.url)('compromise') as typeof nlpType;
  return loaded;
}

interface Term {
  text: string;
  offset: { start: number; length: number };
}

/**
 * People the compromise tagger finds (`people()`), as NAME spans without titles or trailing
 * punctuation. Lower-case hits are dropped: the tagger guesses names from word lists, and
 * "will" or "bill" in running text are not people. This is the slow part of detection.
 */
export function detectNamesByNlp(text: string): Detection[] {
  const found: Detection[] = [];
  const people = tagger()(text).people().json({ offset: true }) as Term[];
  for (const person of people) {
    let start = person.offset.start;
    let value = text.slice(start, start + person.offset.length);
    const title = leadingTitle.exec(value);
    if (title) {
      start += title[0].length;
      value = value.slice(title[0].length);
    }
    // Only the capitalised words: "Ferrari sarà" is Ferrari.
    value = (/^\p{Lu}\S*(?:\s+\p{Lu}\S*)*/u.exec(value)?.[0] ?? '').replace(trailingNoise, '');
    if (value === '' || /^\p{Lu}{2,}\b/u.test(value)) continue;
    const after = text.slice(start + value.length, start + value.length + 20);
    if (
      placeNoun.test(after) ||
      namedPlaceAfter(after) ||
      endsWithPlace(value) ||
      saintFirst.test(value) ||
      brandNames.has(`${/(\p{Lu}[\p{L}'’-]*)[ \t]+$/u.exec(text.slice(Math.max(0, start - 24), start))?.[1]} ${value}`) ||
      placeBefore.test(`${value.split(/[ \t]/)[0]} `) ||
      // "Leonardo da Vinci airport": the place word comes after a particle and a family name.
      namedPlaceAfter(after.replace(/^[ \t]+(?:da|de|di|van|von|del|della|du|dos)[ \t]+\p{Lu}[\p{Ll}'’]+/u, '')) ||
      (!value.includes(' ') && brandBefore.test(text.slice(Math.max(0, start - 16), start))) ||
      placeBefore.test(text.slice(Math.max(0, start - 24), start)) ||
      brandNames.has(value)
    )
      continue;
    const name = trimName(value);
    // A lone "Grace", "Claude" or "Julia" is more often a word, a product or a language than a person.
    if (name && !name.includes(' ') && isAmbiguousName(name)) continue;
    if (name) found.push({ type: 'NAME', start, end: start + name.length });
  }
  return found;
}
