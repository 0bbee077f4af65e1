import { foldAccents } from './normalise.js';
import { stopwords } from './stopwords.js';

/**
 * The words of a prompt in order, as keys (lowercase, accent-folded, plural s dropped, numbers
 * by value, operator symbols kept), to tell who does what to whom: "10 minus 3" is not
 * "3 minus 10", "merge main into develop" is not "merge develop into main", "files from the
 * server to my laptop" is not "from my laptop to the server". Holds at most `maxRoleTokens`
 * keys; `truncated` says there were more.
 */
export interface Roles {
  keys: string[];
  truncated: boolean;
}

/** Keys compared per prompt: the pairwise check is quadratic in them, so they are capped. */
export const maxRoleTokens = 64;

const tokenPattern = /\p{N}+(?:[.,]\p{N}+)*|\p{L}+|[-−–+*×÷/^<>=→]/gu;

/** Neither arguments nor pivots: "the X the Y" says nothing about who does what. */
const articles: ReadonlySet<string> = new Set(
  'a an the der die das den dem des ein eine einen einem einer le la les l un une el los las lo il gli het een o os as um uma'.split(' '),
);

/** Coordinators join things that can trade places ("between a loan and a lease"): not pivots. */
const coordinators: ReadonlySet<string> = new Set('and or vs versus und oder et ou y o e och'.split(' '));

/** Where a thing comes from and where it goes; the next argument takes the role. Only words no other language uses otherwise ("de", "da", "a", "in" are not). */
const roleMarkers: Readonly<Record<string, 'source' | 'target'>> = Object.assign(
  Object.create(null),
  Object.fromEntries([
    ...'from von vom aus depuis desde dal dalla dallo dai dalle van vanaf uit fran'.split(' ').map((word) => [word, 'source'] as const),
    ...'to into onto toward towards nach vers hacia naar verso till'.split(' ').map((word) => [word, 'target'] as const),
  ]),
);

/**
 * Romance "de X a Y" / "da X a Y" / "de X para Y": "de", "da" and "a" say where only together
 * (alone they are "of", "the" and "at"), so they mark a source and a target only as a pair,
 * the target word within a few words after the source word.
 */
// Not Portuguese "do"/"das": English "do" and German "das" are everywhere.
const pairedSources: ReadonlySet<string> = new Set('de del da dal dallo dalla desde depuis'.split(' '));
const pairedTargets: ReadonlySet<string> = new Set('a a> al ao aos alla allo ai para'.split(' '));

/** Languages where "a" is a preposition (to, at), not an article: there it sits between things that can trade places ("pasar android a iphone"). */
const romance: ReadonlySet<string> = new Set(['es', 'it', 'pt', 'fr']);

export function extractRoles(original: string, language?: string): Roles {
  const keys: string[] = [];
  const prepositionA = language !== undefined && romance.has(language);
  // Elided articles and clitics (l’ordinateur, d’abord) go; n't is a negation the anchors keep.
  const text = foldAccents(original.slice(0, 8192).normalize('NFKC').toLowerCase()).replace(/\b[ldjmnst]['’](?=\p{L})/gu, ' ');
  for (const match of text.matchAll(tokenPattern)) {
    if (keys.length === maxRoleTokens) return { keys, truncated: true };
    keys.push(prepositionA && match[0] === 'a' ? 'a>' : keyOf(match[0]));
  }
  return { keys, truncated: false };
}

function keyOf(token: string): string {
  if (/^\p{N}/u.test(token)) {
    const value = Number(/^\p{N}{1,3}(,\p{N}{3})+$/u.test(token) ? token.replace(/,/g, '') : token.replace(',', '.'));
    return Number.isFinite(value) ? String(value) : token;
  }
  if (token === '−' || token === '–') return '-';
  if (stopwords.has(token) || articles.has(token) || coordinators.has(token)) return token;
  return token.length > 3 && /[^supi]s$/u.test(token) ? token.slice(0, -1) : token;
}

function isArgument(key: string): boolean {
  return /^\p{N}/u.test(key) || (key.length > 1 && /^\p{L}/u.test(key) && !stopwords.has(key) && !articles.has(key) && !coordinators.has(key) && roleMarkers[key] === undefined);
}

/**
 * False when the two prompts put the same things in other roles: an argument one prompt
 * marks as a source ("from X") and the other as a target ("to X"), or two arguments in
 * opposite order with a word of both prompts between them each time ("A minus B" / "B minus
 * A", "the manager approves the employee" / "the employee approves the manager"). Rewordings
 * that move a phrase to the front ("at checkout, can I pay with PayPal?") keep no shared word
 * between the moved pair, and pass. Past `maxRoleTokens` words the arguments must come in the
 * same order. Work is bounded by maxRoleTokens², whatever the prompts' length.
 */
/** Arithmetic operators, symbols and words, as one symbol each: "3 + 5 * 2" is not "3 * 5 + 2". */
const operatorOf: Readonly<Record<string, string>> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    [
      ['+ plus', '+'],
      ['- minus moins menos meno', '-'],
      ['* × times multiplied multiplie multiplicado moltiplicato mal keer', '*'],
      ['/ ÷ divided divide dividido diviso gedeeld geteilt', '/'],
      ['^ power', '^'],
    ].flatMap(([words, symbol]) => words!.split(' ').map((word) => [word, symbol!])),
  ),
);

/**
 * The operators between two operands (numbers or one-letter variables), in order: "two-factor"
 * and "Disney plus" hold none. "times" is keyed "time" (plural dropped), "x" between numbers multiplies.
 */
function operators(keys: readonly string[]): string {
  const operand = (key: string | undefined) => key !== undefined && (/^\p{N}/u.test(key) || /^\p{L}$/u.test(key));
  let out = '';
  for (let index = 1; index < keys.length - 1; index++) {
    const key = keys[index]!;
    const symbol = operatorOf[key] ?? (key === 'time' || key === 'x' ? '*' : undefined);
    if (symbol && operand(keys[index - 1]) && operand(keys[index + 1])) out += symbol;
  }
  return out;
}

export function rolesAgree(a: Roles, b: Roles): boolean {
  // The same operations in the same order, or none: the arguments' order is checked below.
  if (operators(a.keys) !== operators(b.keys)) return false;
  if (a.truncated || b.truncated) {
    const left = a.keys.filter(isArgument);
    const right = b.keys.filter(isArgument);
    return left.length === right.length && left.every((key, index) => key === right[index]);
  }
  const rolesA = rolesOf(a.keys);
  const rolesB = rolesOf(b.keys);
  for (const [key, role] of rolesA) {
    const other = rolesB.get(key);
    if (other !== undefined && other !== role) return false;
  }

  // Where each shared key first appears, and a grid of the places where a shared word sits in both.
  const firstA = firstPositions(a.keys);
  const firstB = firstPositions(b.keys);
  const columns = b.keys.length + 1;
  const grid = new Uint16Array((a.keys.length + 1) * columns);
  const positionsB = new Map<string, number[]>();
  b.keys.forEach((key, index) => {
    const positions = positionsB.get(key);
    if (positions) positions.push(index);
    else positionsB.set(key, [index]);
  });
  a.keys.forEach((key, i) => {
    if (articles.has(key) || coordinators.has(key)) return;
    for (const j of positionsB.get(key) ?? []) grid[(i + 1) * columns + j + 1] = 1;
  });
  // Prefix sums: grid[i][j] = marks in rows < i and columns < j.
  for (let i = 1; i <= a.keys.length; i++) {
    for (let j = 1; j < columns; j++) grid[i * columns + j]! += grid[(i - 1) * columns + j]! + grid[i * columns + j - 1]! - grid[(i - 1) * columns + j - 1]!;
  }
  /** Marks strictly inside rows (r0, r1) and columns (c0, c1). */
  const between = (r0: number, r1: number, c0: number, c1: number) =>
    r1 - r0 < 2 || c1 - c0 < 2 ? 0 : grid[r1 * columns + c1]! - grid[(r0 + 1) * columns + c1]! - grid[r1 * columns + c0 + 1]! + grid[(r0 + 1) * columns + c0 + 1]!;

  const shared = [...firstA].filter(([key]) => isArgument(key) && firstB.has(key)).map(([key, position]) => [position, firstB.get(key)!] as const);
  for (let x = 0; x < shared.length; x++) {
    for (let y = 0; y < shared.length; y++) {
      const [ax, bx] = shared[x]!;
      const [ay, by] = shared[y]!;
      if (ax < ay && bx > by && between(ax, ay, by, bx) > 0) return false;
    }
  }
  return true;
}

function firstPositions(keys: readonly string[]): Map<string, number> {
  const first = new Map<string, number>();
  keys.forEach((key, index) => {
    if (!first.has(key)) first.set(key, index);
  });
  return first;
}

/** The role of each argument right after a role marker (articles and function words may sit between). */
function rolesOf(keys: readonly string[]): Map<string, 'source' | 'target'> {
  const roles = new Map<string, 'source' | 'target'>();
  const mark = (index: number, role: 'source' | 'target') => {
    for (let next = index + 1; next < Math.min(keys.length, index + 4); next++) {
      const key = keys[next]!;
      if (roleMarkers[key] || pairedTargets.has(key)) break;
      if (isArgument(key)) {
        if (!roles.has(key)) roles.set(key, role);
        break;
      }
    }
  };
  for (let index = 0; index < keys.length; index++) {
    const role = roleMarkers[keys[index]!];
    if (role) mark(index, role);
    else if (pairedSources.has(keys[index]!)) {
      const target = keys.slice(index + 2, index + 6).findIndex((key) => pairedTargets.has(key));
      if (target < 0) continue;
      mark(index, 'source');
      mark(index + 2 + target, 'target');
    }
  }
  return roles;
}
