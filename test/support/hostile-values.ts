import fc from 'fast-check';
import type { HostileContext } from './hostile-requests.js';

/** Hostile values for the generators of hostile-requests.ts: special strings, long runs, lone surrogates, odd numbers, deep nesting. */
const specialStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00y',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-0',
  '0x10',
  '\u202E',
  '\uFEFF',
  '<script>alert(1)</script>',
  "'; DROP TABLE jobs;--",
  '../../etc/passwd',
  '%00',
  '{{document}}',
  '__proto__',
  'constructor',
  'gpt-test',
  'mock',
  'auto',
];
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

export function hostileString(context: Pick<HostileContext, 'maxRun'>): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...specialStrings),
    fc.string({ unit: 'binary', maxLength: 64 }),
    fc.string({ unit: 'grapheme', maxLength: 64 }),
    fc.string({ unit: fc.oneof(fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }), loneSurrogate), maxLength: 32 }),
    // One long run of a single character, and a short word repeated: the inputs that made token counting quadratic.
    fc
      .tuple(fc.constantFrom('a', ' ', '.', '0', '\n', 'é', '🙂', '<', '\u0000', '\uD800'), fc.integer({ min: 1, max: context.maxRun }))
      .map(([char, length]) => char.repeat(length)),
    fc.tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: Math.max(1, context.maxRun >> 3) })).map(([word, times]) => word.repeat(times)),
    fc.base64String({ maxLength: 256 }),
  );
}

export const hostileNumber = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, -1.5, 1e308, -1e308, 5e-324, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 31, 2 ** 32 + 1, 1e21),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** `[[[…]]]` built without recursion, so the generator itself never runs out of stack. */
export function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

export function hostileValue(context: HostileContext): fc.Arbitrary<unknown> {
  const text = hostileString(context);
  return fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 2, arbitrary: hostileNumber },
    fc.boolean(),
    fc.constant(null),
    fc.integer({ min: 1, max: context.maxDepth }).map(nestedArrays),
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(text, { maxLength: 5 }),
    fc.dictionary(text, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
    // Thousands of (valid) messages.
    fc.integer({ min: 0, max: 3000 }).map((count) => Array.from({ length: count }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: 'x' }))),
  );
}
