import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { canonicalJson } from '../canonical-json.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule.default;

/** One problem with a value, at a JSON pointer (`/line_items/0/amount`; `""` is the root). */
export interface ValidationIssue {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; issues: ValidationIssue[] };

type Dialect = 'draft-07' | '2020-12';

// ajv reports schema warnings (an unknown format, ignored under strict: false) through its
// logger; they are collected per compile instead of printed, and checkSchema turns them into errors.
let compileWarnings: string[] = [];
const logger = { log: () => {}, warn: (...parts: unknown[]) => void compileWarnings.push(parts.map(String).join(' ')), error: () => {} };
const options = { allErrors: true, strict: false, logger } as const;
const compilers: Record<Dialect, Ajv | Ajv2020> = { 'draft-07': new Ajv(options), '2020-12': new Ajv2020(options) };
for (const compiler of Object.values(compilers)) addFormats(compiler);

/** Pipelines have a handful of schemas; the cap only guards against schemas built per request. */
const cacheLimit = 256;
const cache = new Map<string, SchemaValidator>();

/**
 * A compiled JSON Schema. The dialect follows `$schema`: draft 2020-12
 * (`https://json-schema.org/draft/2020-12/schema`) or draft-07; without `$schema`, draft-07
 * (ajv's default, which also reads `$defs` pointers). Issues carry paths and messages, never
 * the offending values, so they can go into error details and logs.
 *
 * @example
 * const result = SchemaValidator.compile(schema).validate(record);
 * if (!result.ok) console.log(result.issues); // [{ path: '/total', message: 'must be >= 0' }]
 */
export class SchemaValidator {
  private constructor(
    private readonly validateFunction: ValidateFunction,
    /** What ajv ignored while compiling, e.g. `unknown format "iban" ignored in schema at path …`. */
    readonly warnings: readonly string[],
  ) {}

  /** Compiles `schema` once per distinct content (keys in any order); throws a clear Error when it is not a valid schema. */
  static compile(schema: Record<string, unknown>): SchemaValidator {
    const key = canonicalJson(schema);
    const cached = cache.get(key);
    if (cached) return cached;
    const compiler = compilers[dialectOf(schema)];
    let validateFunction: ValidateFunction;
    compileWarnings = [];
    try {
      validateFunction = compiler.compile(schema);
    } catch (error) {
      throw new Error(`Invalid JSON Schema: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      // The validator keeps what it needs; unregistering lets two schemas share an `$id`.
      compiler.removeSchema(schema);
    }
    const validator = new SchemaValidator(validateFunction, compileWarnings);
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
    cache.set(key, validator);
    return validator;
  }

  validate(value: unknown): ValidationResult {
    if (this.validateFunction(value)) return { ok: true };
    return { ok: false, issues: toIssues(this.validateFunction.errors ?? []) };
  }
}

/**
 * Throws an Error naming the problem when `schema` is not a JSON Schema ajv can compile
 * (meta-schema violations, unresolvable `$ref`, an unsupported `$schema`) or uses a format
 * that would silently go unchecked. For config load.
 */
export function checkSchema(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new Error('Invalid JSON Schema: expected an object such as { "type": "object", "properties": { ... } }');
  }
  const record = schema as Record<string, unknown>;
  const compiler = compilers[dialectOf(record)];
  if (!compiler.validateSchema(record)) {
    throw new Error(`Invalid JSON Schema: ${compiler.errorsText(compiler.errors, { dataVar: 'schema' })}`);
  }
  const unknownFormat = SchemaValidator.compile(record).warnings.find((warning) => warning.startsWith('unknown format'));
  if (unknownFormat) {
    throw new Error(
      `Invalid JSON Schema: ${unknownFormat.replace(' ignored', '')}; known formats are those of ajv-formats (date, date-time, time, email, uri, uuid, ipv4, …); use "pattern" for others`,
    );
  }
}

function dialectOf(schema: Record<string, unknown>): Dialect {
  const declared = schema.$schema;
  if (declared === undefined) return 'draft-07';
  if (typeof declared === 'string' && declared.includes('draft/2020-12')) return '2020-12';
  if (typeof declared === 'string' && declared.includes('draft-07')) return 'draft-07';
  throw new Error(
    `Unsupported JSON Schema dialect ${JSON.stringify(declared)}: set "$schema" to "https://json-schema.org/draft/2020-12/schema" or "http://json-schema.org/draft-07/schema#", or leave it out for draft-07`,
  );
}

function toIssues(errors: ErrorObject[]): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const issue = toIssue(error);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

// Missing and extra properties are reported at the property itself, where a reader (or a
// model being re-asked) looks for them, rather than at the enclosing object as ajv does.
function toIssue(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return { path: `${error.instancePath}/${escapePointer(String(params.missingProperty))}`, message: 'is required' };
  if (error.keyword === 'additionalProperties') {
    return { path: `${error.instancePath}/${escapePointer(String(params.additionalProperty))}`, message: 'is not allowed by the schema' };
  }
  if (error.keyword === 'enum') return { path: error.instancePath, message: `must be one of ${truncate(JSON.stringify(params.allowedValues), 200)}` };
  return { path: error.instancePath, message: error.message ?? `fails "${error.keyword}"` };
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}
