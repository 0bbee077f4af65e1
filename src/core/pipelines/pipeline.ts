import type { ExtractionStrategy } from '../extraction/extract.js';
import type { RecordSink } from '../ports/record-sink.js';

/** Where a pipeline's validated records go; every sink is idempotent on the job id. */
export type PipelineSink =
  /** Breakwater's own records table, written in the job's completion transaction. */
  | { type: 'store' }
  /** A signed `record.created` webhook, sent through the durable webhook outbox. */
  | { type: 'webhook'; url: string }
  /** Anything else behind the RecordSink port (the user's PostgreSQL, …). */
  | { type: 'external'; sink: RecordSink };

/** A pipeline as core runs it, built from the validated config. */
export interface Pipeline {
  name: string;
  description: string;
  /** Media types accepted (`text/*` wildcards allowed). */
  accepts: readonly string[];
  /** The model alias extraction calls, through the gateway's middleware. */
  model: string;
  prompt: { version: number; system: string; template: string };
  schema: Record<string, unknown>;
  extraction: { strategy: ExtractionStrategy; maxAttempts: number; temperature: number | undefined; maxOutputTokens: number | undefined };
  sinks: readonly PipelineSink[];
  /** Job webhook for this pipeline's jobs, unless the submission names its own. */
  webhookUrl: string | null;
}

/** Renders the prompt template: `{{document}}` and `{{filename}}` are the only variables. */
export function renderPrompt(template: string, variables: { document: string; filename: string }): string {
  return template.replace(/\{\{\s*(document|filename)\s*\}\}/g, (_, name: 'document' | 'filename') => variables[name]);
}
