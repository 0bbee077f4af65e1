import type { ChatRequest } from '../../wire/chat.js';
import { jsonBytes } from '../json-in-turns.js';
import { currentTraceCarrier, type TraceCarrier } from './job-trace.js';
import type { IngestDocument } from '../../wire/collections.js';

/** What a job was asked to do, as stored beside the job (JSON bytes). */
export type JobInput =
  | { kind: 'chat'; request: ChatRequest }
  | { kind: 'pipeline'; text: string }
  | { kind: 'pipeline'; document: { name: string | null; mediaType: string | null /** base64 */; data: string } }
  /** Documents to (re)index in a collection of the job's tenant (core/retrieval/ingest-job.ts). */
  | { kind: 'ingest'; collection: string; documents: IngestDocument[] }
  /** Advance one workflow run as far as it goes (core/workflows/workflow-job.ts). */
  | { kind: 'workflow'; runId: string };

/**
 * The input as stored (JSON, UTF-8), with the submitter's trace context (when tracing is on)
 * for the worker to continue: one chunk, or for megabytes of input ~¼ MB chunks, each made in
 * a turn of its own (core/json-in-turns.ts), which a store may keep apart.
 */
export function encodeJobInput(input: JobInput): Promise<Uint8Array[]> {
  const trace = currentTraceCarrier();
  return jsonBytes(trace ? { ...input, trace } : input);
}

/** The W3C trace context stored with a job's input, if any. */
export function jobTraceCarrier(input: JobInput): TraceCarrier | undefined {
  return (input as { trace?: TraceCarrier }).trace;
}

export function decodeJobInput(chunks: readonly Uint8Array[]): JobInput {
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as JobInput;
}

/** Bytes in all of `chunks`. */
export function byteLengthOf(chunks: readonly Uint8Array[]): number {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  return length;
}
