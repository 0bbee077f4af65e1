import { BreakwaterError } from '../../core/errors/breakwater-error.js';
import type { DocumentInput } from '../../core/ports/document-loader.js';

/** The name messages use for a document: its file name, or a stand-in when none was given. */
export function documentName(input: DocumentInput): string {
  return input.name ?? 'unnamed document';
}

/**
 * A `DOCUMENT_UNREADABLE` error whose message starts with the file name, so a failed job
 * says which of many documents was at fault. `problem` says what is wrong and what to do.
 */
export function unreadableDocument(input: DocumentInput, mediaType: string, problem: string, cause?: unknown): BreakwaterError {
  return new BreakwaterError('DOCUMENT_UNREADABLE', `${documentName(input)}: ${problem}`, {
    details: { name: input.name ?? null, mediaType, bytes: input.bytes.length },
    cause,
  });
}
