import { currencyWords, dateWords, directionWords, negationWords, notNames, numberWords, particles, phrasalVerbs, questionWords, scopeWords, unitWords } from './anchor-tables.js';
import { caseUnitOf } from './case-units.js';
import { stopwords } from './stopwords.js';
import { synonymOf } from './synonyms.js';
import { contextSplit, foldAccents } from './normalise.js';

/**
 * What must be identical for two prompts to be the same question. `exact` holds numbers,
 * dates, amounts with their currency or unit, identifiers, quoted text, negation and
 * direction (enable/disable…): the sets must be equal. `names` holds capitalised words and
 * acronyms taken from the original text: each must appear (case-insensitively) in the other
 * prompt, so "what does Anna earn" never answers "what does Peter earn", while a user who
 * types in lowercase still meets the same question.
 */
export interface Anchors {
  exact: string[];
  names: string[];
  /** Names and currencies in the order they appear: "Celsius to Fahrenheit" is not "Fahrenheit to Celsius". */
  order: string[];
  /**
   * Words typed with capitals inside them (userId, userID, iPhone, MySQL), as typed. Where both
   * prompts type the same letters this way, the case must agree: userId is not userID. A prompt
   * typed all in lowercase says nothing about case and meets either. Absent in entries stored
   * before it was kept.
   */
  cased?: string[];
  /**
   * A context sentence's dates, negations, directions and names (normalise.ts, contextSplit):
   * compared only when both prompts carry a context; a prompt that adds or drops a remark like
   * "I joined in March." asks the same question. Its numbers, amounts, units, identifiers and
   * quotes are in `exact` and always compared.
   */
  context?: { exact: string[]; names: string[] };
}

// A trailing + or # belongs to the name: C++, C#, Disney+, Galaxy S24+ are not C, Disney, S24.
const tokenPattern = /[$€£¥%]|[\p{L}\p{N}]+(?:(?:[._\-/:@+#]|(?<=\p{N}),(?=\p{N}))[\p{L}\p{N}]+)*(?:\+{1,2}|#)?/gu;
const quotedPattern = /["“”„«»‹›`]([^"“”„«»‹›`\n]{1,80})["“”„«»‹›`]|(?<![\p{L}\p{N}])'([^'\n]{1,80})'(?![\p{L}\p{N}])/gu;
// An address starts where its run of address characters starts: from every position inside a
// long run, [\p{L}\p{N}._%+-]+@ rescanned the rest of it (quadratic; 8 KB of dots: 0.1 s).
const linkPattern = /\bhttps?:\/\/[^\s<>"']+|\bwww\.[^\s<>"']+|(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const sentenceBreak = /[.!?;:\n¿¡()[\]"“”„«»]/;

export function extractAnchors(original: string): Anchors {
  const split = contextSplit(original);
  if (split === undefined) return anchorsOf(original);
  const [question, context] = [anchorsOf(split.question), anchorsOf(split.context)];
  const always = context.exact.filter((anchor) => alwaysCompared.test(anchor));
  return {
    ...question,
    exact: [...new Set([...question.exact, ...always])].sort(),
    context: { exact: context.exact.filter((anchor) => !always.includes(anchor)), names: context.names },
  };
}

function anchorsOf(original: string): Anchors {
  const exact = new Set<string>();
  const names = new Set<string>();
  const order = new Set<string>();
  const cased = new Set<string>();
  // "don't" carries its negation in the clitic; spell it out before splitting words.
  let text = original.normalize('NFKC').replace(/n['’]t\b/gi, ' not');
  text = text.replace(linkPattern, (link) => {
    exact.add(`id:${link.toLowerCase().replace(/[.,;:!?)]+$/, '')}`);
    return ' . ';
  });
  for (const match of text.matchAll(quotedPattern)) exact.add(`quote:${fold(match[1] ?? match[2] ?? '').trim()}`);

  const tokens = [...text.matchAll(tokenPattern)];
  let previousEnd = 0;
  let previousWasNumber = false;
  let previousNumber = '';
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]![0];
    const start = tokens[index]!.index;
    const sentenceStart = index === 0 || sentenceBreak.test(text.slice(previousEnd, start));
    previousEnd = start + token.length;
    const lower = fold(token);
    let isNumber = false;
    // A command-line flag keeps its case: `ls -l` is not `ls -L`, `chmod -R` is not `chmod -r`.
    if (/^\p{L}{1,2}$/u.test(token) && /(?:^|\s)--?$/u.test(text.slice(Math.max(0, start - 3), start))) exact.add(`flag:${token}`);
    // Tests without backtracking, on word-sized tokens only: a hostile prompt's megabyte "word" costs one pass.
    if (token.length <= 64 && (/\p{Ll}\p{Lu}|^\p{Lu}{2,}\p{Ll}/u.test(token) || (/\p{Lu}/u.test(token) && /\p{N}/u.test(token)))) cased.add(token);
    if (token.length <= 16) {
      const asks = lower === 'ou' && token.toLowerCase() === 'où' ? 'q:where' : lower === 'por' && fold(tokens[index + 1]?.[0] ?? '') === 'que' ? 'q:why' : questionWords[lower];
      if (asks) exact.add(asks);
      const narrows = scopeWords[lower];
      if (narrows) exact.add(narrows);
    }

    const currency = currencyWords[lower];
    const caseUnit = caseUnitOf(token, previousWasNumber);
    if (currency) {
      exact.add(`cur:${currency}`);
      order.add(`cur:${currency}`);
      // "$100" and "100 USD" bind the amount to its currency: "100 USD in EUR" is not "100 EUR in USD".
      if (previousWasNumber && adjacent(text, tokens[index - 1]!, tokens[index]!)) exact.add(`amt:${previousNumber}:${currency}`);
      const next = tokens[index + 1];
      if (next && adjacent(text, tokens[index]!, next) && /^\p{N}+(?:[.,]\p{N}+)*$/u.test(next[0])) exact.add(`amt:${numbersIn(fold(next[0])).join('-')}:${currency}`);
    } else if (caseUnit) {
      // Unit symbols keep their letter case: 100 Mb (megabits) is not 100 MB (megabytes), 10 mA is not 10 MA.
      exact.add(`unit:${caseUnit}`);
      if (previousWasNumber) exact.add(`amt:${previousNumber}:${caseUnit}`);
    } else if (/^\p{N}/u.test(lower) && /^[\p{N}.,:/-]+$/u.test(lower)) {
      for (const value of numbersIn(lower)) exact.add(`n:${value}`);
      isNumber = true;
      previousNumber = numbersIn(lower).join('-');
    } else if (/\p{N}/u.test(lower)) {
      const measured = /^(\p{N}+(?:[.,]\p{N}+)?)(\p{L}{1,4}|%)$/u.exec(lower);
      const attachedCaseUnit = measured ? caseUnitOf(token.slice(measured[1]!.length), true) : undefined;
      if (measured && attachedCaseUnit) {
        exact.add(`n:${numberValue(measured[1]!)}`);
        exact.add(`unit:${attachedCaseUnit}`);
        exact.add(`amt:${numberValue(measured[1]!)}:${attachedCaseUnit}`);
      } else if (measured && (unitWords[measured[2]!] || /^(st|nd|rd|th|er|e|o|a|eme|te|ten)$/.test(measured[2]!))) {
        exact.add(`n:${numberValue(measured[1]!)}`);
        if (unitWords[measured[2]!]) exact.add(`unit:${unitWords[measured[2]!]}`);
        if (unitWords[measured[2]!]) exact.add(`amt:${numberValue(measured[1]!)}:${unitWords[measured[2]!]}`);
      } else exact.add(`id:${identifierCase(token, lower)}`);
    } else if (numberWords[lower] !== undefined) {
      exact.add(`n:${numberWords[lower]}`);
      isNumber = true;
      previousNumber = String(numberWords[lower]);
    } else if (previousWasNumber && unitWords[lower]) {
      exact.add(`unit:${unitWords[lower]}`);
      exact.add(`amt:${previousNumber}:${unitWords[lower]}`);
    } else if (dateWords[lower]) exact.add(dateWords[lower]);
    // A short symbol right after a number that no table knows is a unit all the same, in its case: 5 nm (nanometres) is not 5 Nm (newton-metres), 10 Wh is not 10 kWh.
    else if (previousWasNumber && /^\p{L}{1,3}$/u.test(token) && !stopwords.has(lower) && !negationWords.has(lower)) exact.add(`unit:~${token}`);
    else if (negationWords.has(lower)) exact.add('neg');
    else if (/[._/@#+]/.test(lower)) exact.add(`id:${identifierCase(token, lower)}`);
    else {
      // A synonym names the direction its row's first word does: "effacer" deletes as "supprimer" does.
      const direction = directionOf(lower) ?? directionOf(synonymOf.get(lower) ?? lower);
      // "Am I allowed to…" asks what "Can I…" asks, and "included" what "comes with": only the other pole (deny, exclude) is an anchor.
      if (direction && direction !== 'dir:permit+' && direction !== 'dir:include+') exact.add(direction);
      const particle = particles[fold(tokens[index + 1]?.[0] ?? '')];
      // "Turn on" is "enable": the same anchor, so either wording meets the other and "turn off" neither.
      // "Log in" is "login", "sign out" is "logout": the same anchor either way.
      // "Sign up" registers: no direction (its opposite is no "sign down").
      if (phrasalVerbs.has(lower) && particle && !(lower === 'sign' && particle === 'up+'))
        exact.add(
          particle === 'on+' || particle === 'on-'
            ? `dir:enable${particle.slice(2)}`
            : (lower === 'log' || lower === 'sign') && (particle === 'in+' || particle === 'in-')
              ? `dir:login${particle.slice(2)}`
              : `dir:${particle}`,
        );
      if (isName(token, sentenceStart) && !notNames.has(lower)) {
        names.add(lower);
        order.add(lower);
      }
    }
    previousWasNumber = isNumber;
  }
  return { exact: [...exact].sort(), names: [...names].sort(), order: [...order], cased: [...cased].sort() };
}

/** Equal exact anchors, every name of each prompt present in the other's words, shared names in the same order. */
export function anchorsAgree(a: Anchors, aWords: ReadonlySet<string>, b: Anchors, bWords: ReadonlySet<string>): boolean {
  // A context on one side only: the other prompt may lack it, or carry it typed without punctuation (its anchors then among its own).
  const withContext = (anchors: Anchors) => [...new Set([...anchors.exact, ...(anchors.context?.exact ?? [])])].sort();
  const oneSided = (a.context === undefined) !== (b.context === undefined);
  if (!sameExact(a.exact, b.exact) && !(oneSided && sameExact(withContext(a), withContext(b)))) return false;
  // The other prompt's words are normalised, synonyms written as their row's first word.
  const present = (name: string, words: ReadonlySet<string>) => words.has(name) || words.has(synonymOf.get(name) ?? name) || respelled(name, words);
  if (!a.names.every((name) => present(name, bWords)) || !b.names.every((name) => present(name, aWords))) return false;
  if (a.context && b.context) {
    if (!sameExact(a.context.exact, b.context.exact)) return false;
    if (!a.context.names.every((name) => present(name, bWords)) || !b.context.names.every((name) => present(name, aWords))) return false;
  }
  const shared = a.order.filter((item) => b.order.includes(item));
  if (shared.join('\u0001') !== b.order.filter((item) => a.order.includes(item)).join('\u0001')) return false;
  return casesAgree(a.cased ?? [], b.cased ?? []);
}

/** Tokens both prompts type with inner capitals agree in case: userId / userID differ, iPhone / iphone (typed in lowercase) do not. */
function casesAgree(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const typed = new Map<string, Set<string>>();
  for (const token of b) {
    const key = fold(token);
    const spellings = typed.get(key) ?? new Set<string>();
    spellings.add(token);
    typed.set(key, spellings);
  }
  return a.every((token) => {
    const spellings = typed.get(fold(token));
    return !spellings || spellings.has(token);
  });
}

/**
 * Equal sets, but for "where": "where do I change my avatar" asks what "how do I change my
 * avatar" asks, so a where on one side meets no question word on the other. When, why and who
 * ask for something else than how (a time, a reason, a person), and where never meets them.
 */
function sameExact(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length && a.every((anchor, index) => anchor === b[index])) return true;
  const asks = (anchors: readonly string[]) => anchors.some((anchor) => anchor.startsWith('q:'));
  const withoutWhere = (anchors: readonly string[]) => anchors.filter((anchor) => anchor !== 'q:where');
  if (a.includes('q:where') === b.includes('q:where')) return false;
  const [left, right] = [withoutWhere(a), withoutWhere(b)];
  return !asks(left) && !asks(right) && left.length === right.length && left.every((anchor, index) => anchor === right[index]);
}

/** The exact anchors that are always compared, as one string, to rule candidates out before fetching them. */
export function anchorSignature(anchors: Anchors): string {
  // Only the anchors compared whatever the context (numbers, amounts, units, currencies, identifiers, quotes, flags):
  // a context sentence's dates and directions count on one side and not on the other (anchorsAgree).
  return anchors.exact.filter((anchor) => alwaysCompared.test(anchor)).join('\u0001');
}

/** Anchors that must be equal in every case, whether a context sentence carries them or the question does. */
const alwaysCompared = /^(?:n|amt|id|quote|unit|cur|flag):/;

/**
 * A capitalised word inside a sentence (a proper noun, or any noun in German, which is
 * why names are checked by presence, not equality), an acronym, or a camel-cased product
 * name (iPhone, macOS) anywhere.
 */
function isName(token: string, sentenceStart: boolean): boolean {
  if (/^\p{Lu}{2,}$/u.test(token) || /\p{Ll}\p{Lu}/u.test(token)) return true;
  return !sentenceStart && /^\p{Lu}/u.test(token);
}

/** Direction anchors by word, memoised: the table is ~60 patterns and words repeat a lot. */
const directions = new Map<string, string | undefined>();
function directionOf(word: string): string | undefined {
  if (directions.has(word)) return directions.get(word);
  const row = directionWords.find(([, , pattern]) => pattern.test(word));
  // Only word-sized keys: a hostile prompt's megabyte-long "words" would otherwise be held here.
  if (word.length > 64) return row && `dir:${row[0]}${row[1]}`;
  if (directions.size >= 100_000) directions.clear();
  directions.set(word, row && `dir:${row[0]}${row[1]}`);
  return row && `dir:${row[0]}${row[1]}`;
}

/**
 * Identifiers keep their letter case when it is more than a capital first letter: ABC123 and
 * abc123, userID and userId may name different things; Node.js and node.js do not.
 */
function identifierCase(token: string, lower: string): string {
  return /^.[^\p{Lu}]*$/su.test(token) ? lower : foldAccents(token.normalize('NFKC'));
}

/** Nothing but white space between two tokens. */
function adjacent(text: string, first: RegExpMatchArray, second: RegExpMatchArray): boolean {
  return /^\s*$/.test(text.slice(first.index! + first[0].length, second.index!));
}

function fold(text: string): string {
  // As normaliseText spells them: ß → ss, œ → oe, æ → ae.
  return foldAccents(text.toLowerCase().replace(/ß/g, 'ss').replace(/œ/g, 'oe').replace(/æ/g, 'ae'));
}

/** Umlauts typed as vowel + e once accents are folded: mitarbeitergespraeche / mitarbeitergesprache. */
const transliterated = (word: string) => word.replace(/([aou])e/g, '$1');

/**
 * A name a light rewording respells: a capitalised noun typed with ae/oe/ue for its umlaut, or a
 * hyphenated compound typed apart or joined (Python-Dictionary / python dictionary,
 * E-Mail-Benachrichtigungen / email benachrichtigungen): its letters, hyphens dropped, run
 * through the other prompt's words read without spaces and hyphens. Linear in the prompt.
 */
function respelled(name: string, words: ReadonlySet<string>): boolean {
  const spelled = spellingsOf(words);
  const plain = transliterated(name);
  if (spelled.words.has(plain)) return true;
  // A German noun the normalising wrote as its table's head: Artikels / artikel.
  for (const ending of ['s', 'es', 'n', 'en', 'ns'])
    if (plain.endsWith(ending) && plain.length - ending.length >= 5 && spelled.words.has(plain.slice(0, -ending.length))) return true;
  return name.includes('-') && spelled.joined.includes(transliterated(name.replace(/-/g, '')));
}

/** A prompt's words transliterated, and run together without spaces and hyphens: built once per word set (linear), not once per name. */
const spellings = new WeakMap<ReadonlySet<string>, { words: Set<string>; joined: string }>();
function spellingsOf(words: ReadonlySet<string>): { words: Set<string>; joined: string } {
  let known = spellings.get(words);
  if (!known) {
    known = { words: new Set([...words].map(transliterated)), joined: transliterated([...words].join('').replace(/-/g, '')) };
    spellings.set(words, known);
  }
  return known;
}

/** "1,000" and "1000" agree, "3,5" and "3.5" agree, "2024-03-05" gives 2024, 3 and 5. */
function numbersIn(token: string): string[] {
  if (/^\p{N}{1,3}([.,]\p{N}{3})+$/u.test(token)) return [String(Number(token.replace(/[.,]/g, '')))];
  return token
    .split(/[:/-]/)
    .filter((part) => part !== '')
    .map(numberValue);
}

/**
 * A number by value, its decimals as written: "05" is 5 and "3,5" is 3.5, but "3.10" stays
 * 3.10 — a version (Python 3.10 is not 3.1), and a price keeps its cents either way.
 */
function numberValue(text: string): string {
  const decimal = text.length <= 32 ? /^(\p{N}+)[.,](\p{N}+)$/u.exec(text) : null;
  if (decimal) return `${Number(decimal[1])}.${decimal[2]}`;
  const value = Number(text.replace(',', '.'));
  return Number.isFinite(value) ? String(value) : text;
}
