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
  /** Inline (versioned in the config), or a shared registry prompt resolved when each job runs. */
  prompt: { version: number; system: string; template: string } | RegistryPromptReference;
  schema: Record<string, unknown>;
  extraction: { strategy: ExtractionStrategy; maxAttempts: number; temperature: number | undefined; maxOutputTokens: number | undefined };
  sinks: readonly PipelineSink[];
  /** Job webhook for this pipeline's jobs, unless the submission names its own. */
  webhookUrl: string | null;
}

/** A pipeline's `prompt: name@label` (or `name@version`): the shared registry version serves each job. */
export interface RegistryPromptReference {
  registry: { name: string; label: string } | { name: string; version: number };
}

/** `name@label` or `name@3` from the config. */
export function registryReference(text: string): RegistryPromptReference {
  const at = text.lastIndexOf('@');
  const name = text.slice(0, at);
  const target = text.slice(at + 1);
  return { registry: /^\d+$/.test(target) ? { name, version: Number(target) } : { name, label: target } };
}

/** Renders the prompt template: `{{document}}` and `{{filename}}` are the only variables. */
export function renderPrompt(template: string, variables: { document: string; filename: string }): string {
  return template.replace(/\{\{\s*(document|filename)\s*\}\}/g, (_, name: 'document' | 'filename') => variables[name]);
}
