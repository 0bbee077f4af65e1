/**
 * A string matching a JSON Schema `pattern`, for the mock provider. Supports the subset
 * extraction schemas use: anchors `^` `$`, literal and escaped characters, `.`, character
 * classes (`[A-Z0-9_-]`, `[^…]`, `\d` `\w` `\s` and their negations), groups `(…)` / `(?:…)`
 * with alternation `|` (the first alternative is used) and the quantifiers `?` `*` `+` `{n}`
 * `{n,}` `{n,m}` (lazy or not).
 * Unsupported, so `undefined` is returned: lookarounds, backreferences, `\b`, Unicode
 * property escapes (`\p{…}`) and named groups; the caller then falls back to its plain value.
 */
export function samplePattern(pattern: string, minLength = 0, maxLength = Number.POSITIVE_INFINITY): string | undefined {
  let tree: Alternatives;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, 'u');
    tree = new PatternParser(pattern).parse();
  } catch {
    return undefined;
  }
  // Repeat open quantifiers a little more each round until the length bounds are met.
  const rounds = Math.min(Number.isFinite(minLength) ? minLength + 2 : 2, 258);
  for (let extra = 0; extra < rounds; extra++) {
    const value = render(tree, extra);
    const length = [...value].length;
    if (length > maxLength) return undefined;
    if (length >= minLength && regex.test(value)) return value;
  }
  return undefined;
}

type Atom = { kind: 'chars'; members: string[] } | { kind: 'group'; alternatives: Alternatives };
interface Piece {
  atom: Atom;
  min: number;
  max: number;
}
type Alternatives = Piece[][];

class Unsupported extends Error {}

const digits = range('0', '9');
const wordChars = [...range('a', 'z'), ...range('A', 'Z'), ...digits, '_'];
const printable = [...range('a', 'z'), ...range('A', 'Z'), ...digits, ...'-_.~!#%&+=@ '];

function range(from: string, to: string): string[] {
  const start = from.codePointAt(0)!;
  const end = Math.min(to.codePointAt(0)!, start + 255);
  return Array.from({ length: Math.max(end - start + 1, 0) }, (_, index) => String.fromCodePoint(start + index));
}

class PatternParser {
  private position = 0;
  constructor(private readonly source: string) {}

  parse(): Alternatives {
    const result = this.alternatives();
    if (this.position < this.source.length) throw new Unsupported('unbalanced )');
    return result;
  }

  private alternatives(): Alternatives {
    const branches: Alternatives = [[]];
    while (this.position < this.source.length) {
      const char = this.source[this.position]!;
      if (char === ')') break;
      this.position++;
      if (char === '|') branches.push([]);
      else if (char === '^' || char === '$') continue;
      else branches[branches.length - 1]!.push(this.quantified(this.atom(char)));
    }
    return branches;
  }

  private atom(char: string): Atom {
    if (char === '(') {
      if (this.source.startsWith('?:', this.position)) this.position += 2;
      else if (this.source[this.position] === '?') throw new Unsupported('lookaround or named group');
      const alternatives = this.alternatives();
      if (this.source[this.position++] !== ')') throw new Unsupported('unclosed group');
      return { kind: 'group', alternatives };
    }
    if (char === '[') return { kind: 'chars', members: this.characterClass() };
    if (char === '.') return { kind: 'chars', members: ['a'] };
    if (char === '\\') return { kind: 'chars', members: this.escape(false) };
    return { kind: 'chars', members: [char] };
  }

  private escape(inClass: boolean): string[] {
    const char = this.source[this.position++];
    if (char === undefined) throw new Unsupported('trailing backslash');
    switch (char) {
      case 'd':
        return digits;
      case 'w':
        return wordChars;
      case 's':
        return [' '];
      case 'D':
        return ['a'];
      case 'W':
        return ['-'];
      case 'S':
        return ['a'];
      case 'n':
        return ['\n'];
      case 't':
        return ['\t'];
      case 'r':
        return ['\r'];
      case 'u': {
        const hex = /^[0-9a-fA-F]{4}/.exec(this.source.slice(this.position))?.[0];
        if (!hex) throw new Unsupported('\\u{…}');
        this.position += 4;
        return [String.fromCharCode(Number.parseInt(hex, 16))];
      }
      default:
        if (/[bBpPk1-9]/.test(char) && !(inClass && char === 'b')) throw new Unsupported(`\\${char}`);
        return [char];
    }
  }

  private characterClass(): string[] {
    const negated = this.source[this.position] === '^';
    if (negated) this.position++;
    const members: string[] = [];
    let first = true;
    while (this.position < this.source.length && (this.source[this.position] !== ']' || first)) {
      first = false;
      const char = this.source[this.position++]!;
      const single = char === '\\' ? this.escape(true) : [char];
      if (single.length === 1 && this.source[this.position] === '-' && this.source[this.position + 1] !== ']' && this.position + 1 < this.source.length) {
        this.position++;
        const next = this.source[this.position++]!;
        const end = next === '\\' ? this.escape(true) : [next];
        if (end.length !== 1) throw new Unsupported('class range to a class');
        members.push(...range(single[0]!, end[0]!));
      } else members.push(...single);
    }
    if (this.source[this.position++] !== ']') throw new Unsupported('unclosed class');
    if (members.length === 0) throw new Unsupported('empty class');
    if (!negated) return members;
    const excluded = new Set(members);
    const allowed = printable.filter((candidate) => !excluded.has(candidate));
    if (allowed.length === 0) throw new Unsupported('class excludes every printable character');
    return allowed;
  }

  private quantified(atom: Atom): Piece {
    const char = this.source[this.position];
    let min = 1;
    let max = 1;
    if (char === '?' || char === '*' || char === '+') {
      this.position++;
      [min, max] = char === '?' ? [0, 1] : char === '*' ? [0, Infinity] : [1, Infinity];
    } else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.position));
      if (match) {
        this.position += match[0].length;
        min = Number(match[1]);
        max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      }
    }
    if (this.source[this.position] === '?' && (min !== 1 || max !== 1)) this.position++;
    return { atom, min, max };
  }
}

function render(alternatives: Alternatives, extra: number): string {
  return alternatives[0]!.map((piece) => renderPiece(piece, extra)).join('');
}

function renderPiece(piece: Piece, extra: number): string {
  const count = Math.min(piece.min + extra, piece.max);
  let text = '';
  for (let index = 0; index < count; index++) {
    // Cycling through a class gives "ABC" for [A-Z]{3} rather than "AAA".
    text += piece.atom.kind === 'chars' ? piece.atom.members[index % piece.atom.members.length] : render(piece.atom.alternatives, extra);
  }
  return text;
}
