import { stopwords } from './stopwords.js';
import { synonymFor } from './synonyms.js';

/**
 * The text the semantic cache compares: lowercase, NFKC, accents folded, contractions
 * expanded, punctuation that carries no meaning dropped, politeness fillers removed, so that
 * "Could you please tell me what's the refund policy?" and "what is the refund policy" meet;
 * words that name the same act or thing are written as one (synonyms.ts: modify → change;
 * in a `language` other than English, inflections the table does not list too).
 * Characters that carry meaning in identifiers and amounts (. , / - _ @ # % $ € £ ¥ + :) stay
 * when they sit inside a token.
 */
export function normaliseText(text: string, language?: string): string {
  const split = contextSplit(text);
  return split === undefined ? normalisePart(text, language) : `${normalisePart(split.context, language)} ${contextMark} ${normalisePart(split.question, language)}`;
}

/**
 * Written between a short context sentence and the question that follows it ("We moved offices
 * last month. How do I update my address?"): the content check (prompt-match.ts) may then
 * compare the question alone with a prompt that has no context, and embeddingText weighs the
 * question above its context. One character: never a content word, never an anchor.
 */
export const contextMark = '¶';

/** Words a context sentence may have: a short remark, not a document or a pasted snippet. */
const maxContextWords = 16;

/**
 * A short statement before the final question: one or two sentences ending in . or !, then a
 * last sentence ending in ?. Undefined when the text is not shaped so (a question alone, a
 * question then a remark, text without punctuation). Linear in the text.
 */
export function contextSplit(text: string): { context: string; question: string } | undefined {
  const trimmed = text.trim();
  if (!trimmed.endsWith('?')) return undefined;
  const boundary = /[.!](?:\s+)(?=[\p{L}¿¡])/gu;
  let last = -1;
  let count = 0;
  for (const match of trimmed.matchAll(boundary)) {
    last = match.index + match[0].length;
    count++;
  }
  if (last < 0 || count > 2) return undefined;
  const context = trimmed.slice(0, last).trim();
  const question = trimmed.slice(last).trim();
  // A question inside the context, or a long context, is more than a remark.
  if (context.includes('?') || context.split(/\s+/).length > maxContextWords || question.split(/\s+/).length < 3) return undefined;
  return { context, question };
}

function normalisePart(text: string, language?: string): string {
  let out = ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    // Letters a keyboard may spell out: größe/groesse/grösse, œuf/oeuf, ærlig/aerlig.
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')} `;
  for (const [pattern, replacement] of contractions) out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  out = foldAccents(out)
    // Token-internal . , / : - stay (3.5, 1,000, a/b, 10:30, e-mail); elsewhere they are punctuation.
    .replace(/[.,/:](?![\p{L}\p{N}])|(?<![\p{L}\p{N}])[.,/:]/gu, ' ')
    .replace(/[^\p{L}\p{N}\s.,/:@#%$€£¥+_-]/gu, ' ')
    .replace(/(?<![\p{L}\p{N}])-|-(?![\p{L}\p{N}])/gu, ' ');
  out = ` ${out.replace(/\s+/g, ' ').trim()} `;
  // Twice: removing one filler can leave another next to it ("hi please").
  out = out.replace(fillerPattern, ' ').replace(fillerPattern, ' ').replace(/\s+/g, ' ').trim();
  return out
    .split(' ')
    .map((word) => synonymFor(word, language) ?? word)
    .join(' ');
}

/**
 * What is embedded: the normalised text without its function words and question frames
 * (stopwords.ts), so that "how do I sign up for an account" and "what do I need to do to
 * register an account" embed as "register account" both. Negations, directions, numbers and
 * names are not function words and stay; the guards read the full text and the original.
 * A text of function words only is embedded whole.
 */
export function embeddingText(normalised: string): string {
  const mark = normalised.indexOf(` ${contextMark} `);
  if (mark >= 0) {
    // The question twice, its context once: a prompt that adds or drops the context stays near it.
    const question = embeddingText(normalised.slice(mark + 3));
    return `${embeddingText(normalised.slice(0, mark))} ${question} ${question}`;
  }
  const content = normalised.split(' ').filter((word) => !stopwords.has(word));
  return content.length === 0 ? normalised : content.join(' ');
}

export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

const contractions: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/\b(it|that|what|where|who|how|there|here|he|she)'s\b/g, '$1 is'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/\bi'm\b/g, 'i am'],
  // The same contractions typed without the apostrophe (lower-case chat): cant, dont, whats.
  [/\b(can|won|shan)t\b/g, (_match: string, verb: string) => `${verb === 'won' ? 'will' : verb === 'shan' ? 'shall' : 'can'} not`],
  [/\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)nt\b/g, '$1 not'],
  [/\b(what|where|who|how|that|there)s\b/g, '$1 is'],
  [/\b(you|they|we)re\b/g, '$1 are'],
  [/\bive\b/g, 'i have'],
  // Chat spellings: "can u tell me", "ur account", "r there".
  [/(?<= )u(?= )/g, 'you'],
  [/(?<= )ur(?= )/g, 'your'],
  [/'d\b/g, ' would'],
  [/\blet's\b/g, 'let us'],
  // French elision: l'adresse → le adresse is close enough for matching; keep the word whole.
  [/\b(l|d|j|qu|n|s|c|m|t)'(?=\p{L})/gu, '$1e '],
  // French inversion: livrez-vous, puis-je, est-ce, a-t-il → livrez vous, puis je, est ce, a il
  [/-(?:t-)?(je|tu|il|elle|on|nous|vous|ils|elles|ce)\b/g, ' $1'],
  // "Turn on" / "switch off" are "enable" / "disable" (anchors.ts gives them the same direction).
  [/\b(?:turn|switch|power)(?:s|ed|ing)? on\b/g, 'enable'],
  [/\b(?:turn|switch|power)(?:s|ed|ing)? off\b/g, 'disable'],
  // English possessive: anna's → anna
  [/(\p{L})'s\b/gu, '$1'],
  // Compounds written apart: user name → username, e-mail → email, sign up → register.
  [/\b(user|file|host|path) name\b/g, '$1name'],
  // Not inside a compound (E-Mail-Adresse): a name taken from the original must still be found among the words.
  [/\be-?mail(s?)\b(?!-)/g, 'email$1'],
  [/\bsign(?:s|ed|ing)? up\b/g, 'register'],
  [/\bset(?:s|ting)? up\b/g, 'setup'],
  [/\bget(?:s|ting)? rid of\b/g, 'remove'],
  // "How much time" asks "how long": cuánto tiempo → cuanto, combien de temps → combien, quanto tempo → quanto.
  [/\bhow much time\b/g, 'how long'],
  [/\b(cuanto|cuánto|quanto|hoeveel) (?:tiempo|tempo|tijd)\b/g, '$1'],
  [/\bcombien de temps\b/g, 'combien'],
  [/\bwie viel zeit\b/g, 'wie lange'],
  [/\bci vuole\b/g, 'dura'],
  // Phrases that name one thing: money back → refund, business hours → opening hours.
  [/\b(?:my )?money back\b/g, 'refund'],
  [/\b(?:business|working|office|store|shop) hours\b/g, 'opening hours'],
  // Italian elision: dov'è → dove è.
  [/\bdov'/g, 'dove '],
];

/**
 * Politeness that does not change the question, by language. Matched as whole words on the
 * normalised, accent-folded text; longer phrases first so "could you please tell me" goes whole.
 */
const fillers = [
  // English
  'could you please tell me',
  'can you please tell me',
  'would you please tell me',
  'could you tell me',
  'can you tell me',
  'would you tell me',
  'i would like to know',
  'i want to know',
  'i was wondering',
  'i wonder',
  'do you know',
  'please tell me',
  'tell me',
  'could you please',
  'can you please',
  'would you please',
  'could you',
  'would you',
  'can you',
  'would you mind',
  'please',
  'pls',
  'plz',
  'kindly',
  'thanks in advance',
  'thank you',
  'thanks',
  'thx',
  'hello',
  'hi there',
  'hi',
  'hey',
  'quick question',
  'one question',
  'a question',
  'hi all',
  'hi everyone',
  'hello everyone',
  'hello all',
  'hey guys',
  'hi guys',
  'hi team',
  'hey team',
  'thanks a lot',
  'many thanks',
  'thank you very much',
  'cheers',
  'ty',
  'hey there',
  'yo',
  'just',
  'actually',
  'basically',
  'how does that work',
  'how does it work',
  'how does this work',
  'how do i do that',
  'how do i do this',
  'how can i do that',
  // German
  'konnen sie mir bitte sagen',
  'kannst du mir bitte sagen',
  'konnen sie mir sagen',
  'kannst du mir sagen',
  'konnten sie mir sagen',
  'konntest du mir sagen',
  'ich mochte wissen',
  'ich wurde gerne wissen',
  'ich hatte gerne gewusst',
  'sag mir',
  'sagen sie mir',
  'bitte',
  'danke im voraus',
  'vielen dank',
  'danke',
  'hallo zusammen',
  'hallo leute',
  'guten tag zusammen',
  'moin zusammen',
  'kurze frage',
  'eine frage',
  'danke schon',
  'vielen dank im voraus',
  'hallo',
  'guten tag',
  'moin',
  'servus',
  'guten morgen',
  'eigentlich',
  'wie geht das',
  'wie mache ich das',
  // French
  'se il vous plait',
  'se il te plait',
  'sil vous plait',
  'sil te plait',
  'svp',
  'stp',
  'pourriez vous me dire',
  'pouvez vous me dire',
  'peux tu me dire',
  'pourriez-vous me dire',
  'pouvez-vous me dire',
  'peux-tu me dire',
  'je voudrais savoir',
  'j aimerais savoir',
  'je aimerais savoir',
  'merci d avance',
  'merci de avance',
  'merci beaucoup',
  'merci',
  'bonjour',
  'bonjour a tous',
  'salut tout le monde',
  'petite question',
  'une question',
  'merci bien',
  'salut',
  'coucou',
  'bonsoir',
  'comment faire',
  'comment je fais',
  'comment on fait',
  // Spanish
  'por favor',
  'podrias decirme',
  'podria decirme',
  'puedes decirme',
  'me puedes decir',
  'me podrias decir',
  'me podria decir',
  'quisiera saber',
  'me gustaria saber',
  'quiero saber',
  'muchas gracias',
  'gracias',
  'hola a todos',
  'una pregunta',
  'gracias de antemano',
  'hola',
  'porfa',
  'porfis',
  'xfa',
  'buenas',
  'buenos dias',
  'buenas tardes',
  'como lo hago',
  'como se hace',
  // Italian, Dutch, Portuguese
  'come faccio',
  'come si fa',
  'contact opnemen met',
  'neem ik contact op met',
  'neem contact op met',
  'per favore',
  'grazie',
  'ciao',
  'buongiorno',
  'hoe doe ik dat',
  'hoe werkt dat',
  'alstublieft',
  'alsjeblieft',
  'bedankt',
  'dank je',
  'ciao a tutti',
  'buongiorno a tutti',
  'una domanda',
  'grazie mille',
  'hoi allemaal',
  'hallo allemaal',
  'een vraag',
  'dank u wel',
  'dank u',
  'bedankt alvast',
  'ola a todos',
  'oi pessoal',
  'uma pergunta',
  'muito obrigado',
  'muito obrigada',
  'hoi',
  'hey',
  'aub',
  'a.u.b',
  'graag',
  'pfv',
  'salve',
  'oi',
  'ola',
  'como faco',
  'como faz',
  'por favor',
  'obrigado',
  'obrigada',
  'ola',
  'bom dia',
].map((phrase) => foldAccents(phrase));

// Longest first: an alternation takes the first phrase that matches ("hey guys" before "hey").
const fillerPattern = new RegExp(
  ` (?:${[...fillers]
    .sort((a, b) => b.length - a.length)
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|')})(?= )`,
  'g',
);
