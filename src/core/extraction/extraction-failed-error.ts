import { BreakwaterError } from '../errors/breakwater-error.js';
import type { ExtractionResult } from './extract.js';

/** Keeps a job row small when a model rambles for 16k tokens. */
const rawOutputLimit = 8_000;
const issueLimit = 50;

/**
 * The EXTRACTION_FAILED error for a failed extraction, with the details docs/errors.md
 * promises: `raw_output` (the last answer, capped at 8,000 characters) and
 * `validation_errors` (`{ path, message }`, at most 50), plus the number of attempts.
 */
export function extractionFailedError(schemaName: string, result: Extract<ExtractionResult, { ok: false }>): BreakwaterError {
  const first = result.issues[0];
  const firstProblem = first ? ` First problem: ${first.path === '' ? '(root)' : first.path} ${first.message}.` : '';
  const attempts = result.attempts.length;
  return new BreakwaterError(
    'EXTRACTION_FAILED',
    `The model's output did not match the "${schemaName}" JSON Schema after ${attempts} attempt${attempts === 1 ? '' : 's'}.${firstProblem} Fix the prompt or the schema, or raise extraction.maxAttempts; error.details has the raw output and all validation errors.`,
    {
      details: {
        attempts,
        raw_output: result.raw.length > rawOutputLimit ? `${result.raw.slice(0, rawOutputLimit)}…` : result.raw,
        validation_errors: result.issues.slice(0, issueLimit),
        outcomes: result.attempts.map((attempt) => attempt.outcome),
      },
    },
  );
}
